"""The editorial workflow: roles, who may move a record to which status, and leader merges
and splits.

Editors create and edit drafts and submit them for review; reviewers publish, retract and
change published records. The rules live here so that the admin, its actions and the
importers all ask the same questions.
"""

from collections import Counter
from datetime import date

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ..models import (
    Gift,
    Leader,
    LeaderRedirect,
    PublicationStatus,
    RegisterEntry,
    SanctionsFlag,
    Visit,
)
from ..models.base import EDITABLE_BY_EDITORS, REVIEW_PERMISSION, is_reviewer
from ..text import fold

__all__ = ["EDITABLE_BY_EDITORS", "REVIEW_PERMISSION", "is_reviewer"]

EDITOR, REVIEWER = "editor", "reviewer"

# Models an editor works on, and the actions granted on each.
EDITOR_PERMISSIONS = {
    "gift": ("add", "change", "delete", "view"),
    "visit": ("add", "change", "delete", "view"),
    "sanctionsflag": ("add", "change", "delete", "view"),
    "leader": ("add", "change", "view"),
    "source": ("add", "change", "view"),
    "sanctionsregime": ("view",),
    "leaderredirect": ("view",),
}
REVIEWER_PERMISSIONS = {
    "gift": ("add", "change", "delete", "view", "review_records"),
    "visit": ("add", "change", "delete", "view"),
    "sanctionsflag": ("add", "change", "delete", "view"),
    "leader": ("add", "change", "delete", "view"),
    "source": ("add", "change", "delete", "view"),
    "sanctionsregime": ("add", "change", "delete", "view"),
    "leaderredirect": ("view", "delete"),
}


def _codenames(grants):
    for model, actions in grants.items():
        for action in actions:
            yield action if action == "review_records" else f"{action}_{model}"


def setup_roles(using="default"):
    """Create or update the editor and reviewer groups. Idempotent."""
    for name, grants in [(EDITOR, EDITOR_PERMISSIONS), (REVIEWER, REVIEWER_PERMISSIONS)]:
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = set(_codenames(grants))
        perms = Permission.objects.using(using).filter(
            content_type__app_label="giftapp", codename__in=wanted
        )
        missing = wanted - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for role {name}: {sorted(missing)}")
        group.permissions.set(perms)


def allowed_statuses(user):
    if is_reviewer(user):
        return list(PublicationStatus)
    return list(EDITABLE_BY_EDITORS)


def may_edit(user, record):
    """Editors change drafts and records in review; reviewers change anything."""
    return (
        record is None
        or record.pk is None
        or is_reviewer(user)
        or (record.publication_status in EDITABLE_BY_EDITORS)
    )


def may_delete(record):
    """Nothing published is deleted: it is retracted, and keeps its URL."""
    return record is None or record.publication_status in EDITABLE_BY_EDITORS


def submit_for_review(record):
    if record.publication_status != PublicationStatus.DRAFT:
        return f"“{record}” is not a draft."
    record.publication_status = PublicationStatus.IN_REVIEW
    record.save()
    return None


def publish(record):
    """Publish a record, or say why it cannot be published."""
    if record.publication_status == PublicationStatus.PUBLISHED:
        return f"“{record}” is already published."
    problems = record.publication_problems()
    if problems:
        return f"“{record}” was not published: {' '.join(problems)}"
    record.publication_status = PublicationStatus.PUBLISHED
    record.retraction_reason = ""
    record.retracted_at = None
    record.save()
    return None


def retract(record, reason):
    if record.publication_status != PublicationStatus.PUBLISHED:
        return f"“{record}” is not published, so it cannot be retracted."
    record.publication_status = PublicationStatus.RETRACTED
    record.retraction_reason = reason
    record.retracted_at = timezone.now()
    record.save()
    return None


@transaction.atomic
def merge_leaders(keep, duplicate):
    """Fold `duplicate` into `keep`: every gift and visit moves, the duplicate's names become
    aliases, its URL redirects to `keep`, and it is deleted (history records each step)."""
    if keep.pk == duplicate.pk:
        raise ValueError("A leader cannot be merged into itself.")
    for gift in Gift.objects.filter(giver=duplicate):
        gift.giver = keep
        gift.save()
    for gift in Gift.objects.filter(recipient=duplicate):
        gift.recipient = keep
        gift.save()
    for visit in Visit.objects.filter(visitors=duplicate):
        visit.visitors.remove(duplicate)
        visit.visitors.add(keep)
    for visit in Visit.objects.filter(hosts=duplicate):
        visit.hosts.remove(duplicate)
        visit.hosts.add(keep)
    keep.native_name = keep.native_name or duplicate.native_name
    names = set(keep.aliases) | set(duplicate.all_names())
    keep.aliases = sorted(names - {keep.name, keep.native_name, ""})
    keep.wikidata_id = keep.wikidata_id or duplicate.wikidata_id
    keep.save()
    old_slug = duplicate.slug
    duplicate.redirects.update(leader=keep)
    duplicate.delete()
    LeaderRedirect.objects.create(old_slug=old_slug, leader=keep)
    return keep


def register_spellings(leader):
    """How the register rows of the leader's gifts (public or not) write the leader's name,
    with the gifts of each, the commonest first: [(spelling, gifts)]."""
    found = Counter()
    for side in ("giver", "recipient"):
        rows = (
            RegisterEntry.objects.filter(**{f"gift__{side}": leader})
            .exclude(**{f"{side}_name": ""})
            .values_list(f"{side}_name")
            .annotate(gifts=Count("gift", distinct=True))
        )
        for spelling, gifts in rows:
            found[spelling] += gifts
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))


@transaction.atomic
def split_leader(leader, spellings, name):
    """Give the gifts whose register rows write `leader` as one of `spellings` to a new
    leader called `name`, of the same country: an editor undoing a wrong resolution. The
    spellings (as written and as cleaned) leave the leader's aliases and become the new
    leader's, so a later import of a row written so finds the new one. History records
    each step. Returns the new leader."""
    from ..importers.people import clean_name

    written = set(spellings)
    if not written:
        raise ValueError("Choose at least one spelling to move.")
    moved = written | {clean_name(spelling) for spelling in written}
    folded = {fold(name) for name in moved}
    new = Leader(name=name, country=leader.country, aliases=sorted(moved - {name}))
    new.save()
    latest = None
    for side in ("giver", "recipient"):
        gifts = Gift.objects.filter(
            **{side: leader, f"register_entries__{side}_name__in": written}
        ).distinct()
        for gift in gifts.order_by("pk"):
            setattr(gift, side, new)
            gift.save()
            title = getattr(gift, f"{side}_title")
            if title and (latest is None or (gift.date or date.min) >= latest[0]):
                latest = (gift.date or date.min, title)
    if latest:
        new.title = latest[1]
        new.save()
    leader.aliases = [alias for alias in leader.aliases if fold(alias) not in folded]
    leader.save()
    return new


def review_queue():
    """Records waiting for a reviewer, oldest first within each kind (three queries)."""
    in_review = PublicationStatus.IN_REVIEW
    return {
        "gifts": Gift.objects.filter(publication_status=in_review)
        .select_related("giver", "recipient")
        .order_by("updated_at"),
        "visits": Visit.objects.filter(publication_status=in_review).order_by("updated_at"),
        "flags": SanctionsFlag.objects.filter(publication_status=in_review)
        .select_related("gift", "regime")
        .order_by("updated_at"),
    }
