"""Small builders for test records: sensible defaults, every field overridable."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from giftapp.models import (
    Gift,
    Leader,
    PublicationStatus,
    SanctionsFlag,
    SanctionsRegime,
    Source,
    Visit,
)

_seq = itertools.count(1)
PUBLISHED = PublicationStatus.PUBLISHED


def make_source(**fields):
    n = next(_seq)
    defaults = {
        "url": f"https://news.example.org/story-{n}",
        "title": f"Story {n}",
        "publisher": "Example News",
        "published_on": datetime.date(2024, 6, 20),
    }
    return Source.objects.create(**(defaults | fields))


def make_leader(name=None, country="FR", **fields):
    name = name or f"Leader {next(_seq)}"
    return Leader.objects.create(name=name, country=country, **fields)


def make_visit(sources=(), visitors=(), hosts=(), **fields):
    n = next(_seq)
    defaults = {
        "title": f"Visit {n}",
        "host_country": "FR",
        "start_date": datetime.date(2024, 6, 18),
        "end_date": datetime.date(2024, 6, 19),
        "publication_status": PUBLISHED,
    }
    visit = Visit.objects.create(**(defaults | fields))
    visit.sources.set(sources)
    visit.visitors.set(visitors)
    visit.hosts.set(hosts)
    return visit


def make_gift(sources=(), **fields):
    defaults = {
        "item": f"Gift {next(_seq)}",
        "giver_country": "FR",
        "recipient_country": "DE",
        "date": datetime.date(2024, 6, 19),
        "publication_status": PUBLISHED,
    }
    gift = Gift.objects.create(**(defaults | fields))
    gift.sources.set(sources)
    return gift


def make_regime(code="UN-SC1718", **fields):
    defaults = {
        "name": "UN Security Council sanctions on the DPRK (1718 Committee)",
        "short_name": "UN DPRK sanctions",
        "authority": "UN Security Council",
        "target_country": "KP",
    }
    return SanctionsRegime.objects.create(code=code, **(defaults | fields))


def make_flag(gift, regime, sources=(), **fields):
    defaults = {
        "status": SanctionsFlag.Status.ALLEGED,
        "provisions": "S/RES/1718 (2006) OP 8(a)(iii)",
        "alleged_by": "A ministry",
        "alleged_on": datetime.date(2024, 2, 20),
        "publication_status": PUBLISHED,
    }
    flag = SanctionsFlag.objects.create(gift=gift, regime=regime, **(defaults | fields))
    flag.sources.set(sources)
    return flag


def make_staff(username="editor", *, perms_app="giftapp", superuser=False):
    """A staff account with every permission on the registry's models."""
    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery staple", is_staff=True
    )
    if superuser:
        user.is_superuser = True
        user.save()
    else:
        user.user_permissions.set(Permission.objects.filter(content_type__app_label=perms_app))
    return user


def make_user(username, role):
    """A staff account in one of the registry's roles: "editor" or "reviewer"."""
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery staple", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user
