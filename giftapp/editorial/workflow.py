"""The editorial workflow: roles, who may move a record to which status, proposed changes,
and leader merges and splits.

Editors create and edit drafts and submit them for review; reviewers publish, retract and
change published records. An editor's change to anything the public site shows (a published
or retracted record, or a leader or source a published record displays) becomes a proposed
change, which a reviewer applies or rejects. The rules live here so that the admin, its
actions and the importers all ask the same questions.
"""

from collections import Counter
from datetime import date

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import (
    Gift,
    Leader,
    LeaderRedirect,
    ProposalStatus,
    ProposedChange,
    PublicationStatus,
    Publishable,
    RegisterEntry,
    SanctionsFlag,
    SanctionsRegime,
    Source,
    Visit,
    record_version,
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


def public_references(record, limit=5):
    """The published records that point to `record`, as [(kind, record)], at most `limit`:
    what the public site shows of it besides its own page. A query per kind."""
    published = PublicationStatus.PUBLISHED
    if isinstance(record, Leader):
        who = Q(giver=record) | Q(recipient=record) | Q(co_giver=record)
        places = [
            ("gift", Gift.objects.filter(who)),
            ("visit", Visit.objects.filter(Q(visitors=record) | Q(hosts=record))),
        ]
    elif isinstance(record, Source):
        places = [
            ("gift", Gift.objects.filter(sources=record)),
            ("visit", Visit.objects.filter(sources=record)),
            ("sanctions flag", SanctionsFlag.objects.filter(sources=record)),
        ]
    elif isinstance(record, Visit):
        places = [("gift", Gift.objects.filter(visit=record))]
    elif isinstance(record, Gift):
        places = [("sanctions flag", SanctionsFlag.objects.filter(gift=record))]
    elif isinstance(record, SanctionsRegime):
        places = [("sanctions flag", SanctionsFlag.objects.filter(regime=record))]
    else:
        return []
    found = []
    for kind, queryset in places:
        if len(found) < limit:
            rows = queryset.filter(publication_status=published).distinct().order_by("pk")
            found += [(kind, row) for row in rows[: limit - len(found)]]
    if isinstance(record, Source) and len(found) < limit:
        # Sanctions regimes are reference data, always public.
        regimes = SanctionsRegime.objects.filter(sources=record).order_by("pk")
        found += [("sanctions regime", regime) for regime in regimes[: limit - len(found)]]
    return found


def shown_publicly(record):
    """Whether the public site shows the record: it is published or retracted (its page
    answers with it, or with its retraction notice), or a published record displays it."""
    if record is None or record.pk is None:
        return False
    if isinstance(record, Publishable):
        return record.publication_status not in EDITABLE_BY_EDITORS
    return bool(public_references(record, limit=1))


def needs_review(user, record):
    """Whether `user`'s change to `record` must wait for a reviewer."""
    return not is_reviewer(user) and shown_publicly(record)


def may_delete(record):
    """Nothing published is deleted (it is retracted, and keeps its URL), and nothing a
    published record points to."""
    if record is None:
        return True
    if isinstance(record, Publishable) and record.publication_status not in EDITABLE_BY_EDITORS:
        return False
    return not public_references(record, limit=1)


def _shown(value):
    """A field's value in words, for a proposal's summary."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        return "; ".join(str(item) for item in value) or "—"
    return str(value)[:500]


def propose(user, record, form):
    """Record `form`'s changes to `record` as a proposed change instead of saving them.

    `record` holds the form's values (the admin has put them on it, unsaved); the stored
    record is the version the proposal is made against. Returns the proposal, or None when
    the form changed nothing."""
    names = [name for name in form.changed_data if name in form.cleaned_data]
    if not names:
        return None
    stored = type(record).objects.get(pk=record.pk)
    changes, summary = {}, []
    for name in names:
        field = record._meta.get_field(name)
        if field.many_to_many:
            new = list(form.cleaned_data[name])
            changes[name] = sorted(item.pk for item in new)
            before = list(getattr(stored, name).all())
        else:
            new = getattr(record, name)
            # As the serializers write it (dates, decimals and codes as text), which the
            # field's to_python reads back.
            value = field.value_from_object(record)
            changes[name] = None if value is None else field.value_to_string(record)
            before = getattr(stored, name)
        summary.append([str(field.verbose_name), _shown(before), _shown(new)])
    return ProposedChange.objects.create(
        record=stored,
        record_label=str(stored)[:300],
        changes=changes,
        summary=summary,
        base_version=record_version(stored),
        proposed_by=user,
    )


def _decide(proposal, status, reviewer, note=""):
    proposal.status = status
    proposal.decided_by = reviewer
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save()


@transaction.atomic
def apply_proposal(proposal, reviewer):
    """Apply a pending proposal as `reviewer`, or say why not. It applies only to the
    version of the record it was made against: if the record changed since, the proposal
    is marked outdated and nothing changes."""
    if proposal.status != ProposalStatus.PENDING:
        return f"{proposal} was already decided."
    model = proposal.content_type.model_class()
    record = model.objects.select_for_update().filter(pk=proposal.object_id).first()
    if record is None:
        _decide(proposal, ProposalStatus.OUTDATED, reviewer, "The record no longer exists.")
        return f"{proposal}: the record no longer exists."
    if record_version(record) != proposal.base_version:
        _decide(proposal, ProposalStatus.OUTDATED, reviewer, "The record changed since.")
        return (
            f"“{record}” changed after this change was proposed, so it was not applied: "
            "the editor can propose it again on the record as it now stands."
        )
    links = {}
    for name, value in proposal.changes.items():
        field = record._meta.get_field(name)
        if field.many_to_many:
            links[name] = value
        else:
            setattr(record, field.attname, field.to_python(value))
    changed = [name for name in proposal.changes if name not in links]
    try:
        record.full_clean(
            exclude=[f.name for f in record._meta.concrete_fields if f.name not in changed]
        )
    except ValidationError as exc:
        return f"The change to “{record}” was not applied: {' '.join(exc.messages)}"
    if isinstance(record, Publishable) and record.is_public:
        sources = Source.objects.filter(pk__in=links["sources"]) if "sources" in links else None
        problems = record.publication_problems(sources=sources)
        if problems:
            return f"The change to “{record}” was not applied: {' '.join(problems)}"
    who = proposal.proposed_by.get_username() if proposal.proposed_by else "a former editor"
    record._change_reason = f"Proposed by {who}, applied by {reviewer.get_username()}"
    record.save()
    for name, pks in links.items():
        getattr(record, name).set(pks)
    _decide(proposal, ProposalStatus.APPLIED, reviewer)
    return None


def reject_proposal(proposal, reviewer, note=""):
    if proposal.status != ProposalStatus.PENDING:
        return f"{proposal} was already decided."
    _decide(proposal, ProposalStatus.REJECTED, reviewer, note)
    return None


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
    """Records waiting for a reviewer, oldest first within each kind (three queries); the
    proposed changes are listed apart (`pending_proposals`)."""
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


def pending_proposals():
    """Proposed changes waiting for a reviewer, oldest first."""
    return ProposedChange.objects.pending().select_related("content_type", "proposed_by")
