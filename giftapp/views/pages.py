"""The public pages other than the gift list: home, about, gift and visit pages, the
timeline, and the leader, country and sanctions-regime pages.

Each view parses its input, asks giftapp/queries/ for what the page shows, and renders
it. Only public records appear (docs/design.md, "Publication"): a draft or in-review
record's URL answers 404, a retracted one 410 with its notice.
"""

from django.shortcuts import redirect, render
from django.urls import reverse

from ..models import FlagStatus, PublicationStatus
from ..queries import countries, gifts, leaders, registers, sanctions, visits
from ..queries.home import home_page
from ..queries.timeline import timeline_form, timeline_page
from ..sentences import FLAG_STATUS_MEANINGS, PUBLICATION_STATUS_MEANINGS


def _retracted(request, record, kind, title, kept=None):
    context = {"record": record, "kind": kind, "record_title": title, "kept": kept}
    return render(request, "giftapp/retracted.html", context, status=410)


def _permalink(request, record):
    return request.build_absolute_uri(record.get_absolute_url())


def home(request):
    return render(request, "giftapp/home.html", home_page())


def about(request):
    context = {
        "flag_statuses": [(s, FLAG_STATUS_MEANINGS[s]) for s in FlagStatus],
        "publication_statuses": [(s, PUBLICATION_STATUS_MEANINGS[s]) for s in PublicationStatus],
    }
    return render(request, "giftapp/about.html", context)


def gift_detail(request, pk):
    gift = gifts.visible_gift(pk)
    if gift.is_retracted:
        return _retracted(request, gift, "gift", gift.item, gifts.kept_record(gift))
    context = gifts.gift_page(gift) | {"permalink": _permalink(request, gift)}
    return render(request, "giftapp/gift_detail.html", context)


def visit_list(request):
    page = visits.visit_list_page(request.GET.get("page"))
    return render(request, "giftapp/visit_list.html", {"page": page, "visits": page.object_list})


def visit_detail(request, slug):
    visit = visits.visible_visit(slug)
    if visit.is_retracted:
        return _retracted(request, visit, "visit", visit.title)
    context = visits.visit_page(visit) | {"permalink": _permalink(request, visit)}
    return render(request, "giftapp/visit_detail.html", context)


def timeline(request):
    form = timeline_form(request.GET)
    if not form.is_valid():
        return render(request, "giftapp/timeline.html", {"form": form}, status=400)
    context = {"form": form} | timeline_page(form)
    return render(request, "giftapp/timeline.html", context)


def leader_list(request):
    context = leaders.leader_list_page(request.path, request.GET)
    return render(request, "giftapp/leader_list.html", context)


def leader_detail(request, slug):
    leader, moved_to = leaders.leader_by_slug(slug)
    if moved_to is not None:
        # A leader merged into another keeps its old address as a permanent redirect.
        return redirect(moved_to, permanent=True)
    return render(request, "giftapp/leader_detail.html", leaders.leader_page(leader))


def country_list(request):
    context = countries.country_list_page(request.path, request.GET)
    return render(request, "giftapp/country_list.html", context)


def country_detail(request, code):
    code = code.upper()
    context = countries.country_page(code) | {
        "permalink": request.build_absolute_uri(reverse("country_detail", args=[code]))
    }
    return render(request, "giftapp/country_detail.html", context)


def regime_list(request):
    return render(request, "giftapp/regime_list.html", {"regimes": sanctions.regimes()})


def regime_detail(request, code):
    return render(request, "giftapp/regime_detail.html", sanctions.regime_page(code))


def register_list(request):
    return render(request, "giftapp/register_list.html", registers.registers_page())
