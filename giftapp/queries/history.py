"""The public change log of a gift, read from its history (django-simple-history).

Only what the public could see is told: versions saved while the gift (or a flag) was a
draft, in review or retracted are never compared or shown, so no draft content leaks; a
change is named by its field, never by its old or new text; the editor is never named.
Changes are grouped by day, and the day a gift was first published reads "Published"
(whatever was edited that day is part of the first publication).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from ..models import FlagStatus, PublicationStatus

PUBLISHED = PublicationStatus.PUBLISHED

# Public fields of a gift, by attribute name, with the names readers see.
GIFT_FIELDS = {
    "item": "item",
    "description": "description",
    "category": "category",
    "quantity": "quantity",
    "giver_id": "giver",
    "giver_title": "giver's office",
    "giver_country": "giver's country",
    "giver_as_reported": "giver as reported",
    "recipient_id": "recipient",
    "recipient_title": "recipient's office",
    "recipient_country": "recipient's country",
    "recipient_as_reported": "recipient as reported",
    "visit_id": "visit",
    "date": "date",
    "date_precision": "date precision",
    "value": "value",
    "currency": "currency",
    "value_usd": "value in US dollars",
    "value_note": "value note",
    "disposition": "disposition",
    "notes": "notes",
    "sources": "sources",
}

FLAG_FIELDS = {
    "status": "claim status",
    "regime_id": "regime",
    "provisions": "provisions",
    "rationale": "basis",
    "alleged_by": "who alleged it",
    "alleged_on": "date alleged",
    "denied_by": "who denied it",
    "denial": "denial",
    "sources": "sources",
}


@dataclass
class Change:
    """One public change to one record at one moment."""

    when: object  # datetime
    kind: str  # "published", "republished" or "changed"
    fields: list[str]
    before: dict | None
    after: dict


@dataclass
class LogEntry:
    """What changed publicly on one day."""

    date: object
    published: bool = False
    republished: bool = False
    gift_fields: list[str] = field(default_factory=list)
    flag_events: list[str] = field(default_factory=list)

    @property
    def events(self):
        if self.published:
            # Whatever was edited on the day of first publication is the first version.
            return ["Published"]
        events = ["Published again"] if self.republished else []
        if self.gift_fields:
            ordered = [name for name in GIFT_FIELDS if name in self.gift_fields]
            events.append(f"Changed: {_field_names(ordered, GIFT_FIELDS)}")
        return events + self.flag_events


def _versions(model_name, object_field, object_ids, fields):
    """Every historical version of the given records, oldest first, as dicts with their
    sources as a frozenset. Two queries, whatever the number of versions."""
    history = apps.get_model("giftapp", f"Historical{model_name}")
    sources = apps.get_model("giftapp", f"Historical{model_name}_sources")
    columns = [name for name in fields if name != "sources"]
    rows = list(
        history.objects.filter(id__in=object_ids)
        .order_by("history_date", "history_id")
        .values("id", "history_id", "history_date", "publication_status", *columns)
    )
    linked = {}
    for history_id, source_id in sources.objects.filter(
        **{f"{object_field}_id__in": object_ids}
    ).values_list("history_id", "source_id"):
        linked.setdefault(history_id, set()).add(source_id)
    for row in rows:
        row["sources"] = frozenset(linked.get(row["history_id"], ()))
    return rows


def public_changes(versions, fields):
    """The changes the public could see, from one record's versions (oldest first).

    A version counts only when the record was published in it; each public version is
    compared with the previous *public* version, so edits made while the record was out
    of public view appear only as the difference they made once it was public again.
    """
    changes = []
    last_public = previous = None
    for version in versions:
        if version["publication_status"] == PUBLISHED:
            if last_public is None:
                changes.append(Change(version["history_date"], "published", [], None, version))
            else:
                changed = [name for name in fields if version[name] != last_public[name]]
                kind = "changed" if previous is last_public else "republished"
                if changed or kind == "republished":
                    changes.append(
                        Change(version["history_date"], kind, changed, last_public, version)
                    )
            last_public = version
        previous = version
    return changes


def _field_names(names, labels):
    return ", ".join(labels[name] for name in names)


def _flag_event(change, flag):
    label = flag.regime.label
    if change.kind == "published":
        return f"Sanctions flag added: {FlagStatus(change.after['status']).label} · {label}"
    parts = []
    for name in change.fields:
        if name == "status":
            before = FlagStatus(change.before["status"]).label
            after = FlagStatus(change.after["status"]).label
            parts.append(f"claim status ({before} → {after})")
        else:
            parts.append(FLAG_FIELDS[name])
    prefix = "Sanctions flag published again" if change.kind == "republished" else "Sanctions flag"
    return f"{prefix} ({label}) changed: {', '.join(parts)}" if parts else f"{prefix} ({label})"


def gift_change_log(gift, public_flags=()):
    """The public change log of a gift, newest day first, as a list of LogEntry.

    `public_flags` are the gift's public flags (with their regimes loaded). Runs two
    queries for the gift's history and two more when it has public flags.
    """
    days = {}

    def entry(when):
        day = timezone.localdate(when)
        if day not in days:
            days[day] = LogEntry(day)
        return days[day]

    gift_changes = public_changes(_versions("Gift", "gift", [gift.pk], GIFT_FIELDS), GIFT_FIELDS)
    if not gift_changes:
        return []
    first_day = timezone.localdate(gift_changes[0].when)
    for change in gift_changes:
        day_entry = entry(change.when)
        day_entry.published |= change.kind == "published"
        day_entry.republished |= change.kind == "republished"
        day_entry.gift_fields.extend(n for n in change.fields if n not in day_entry.gift_fields)

    flags = {flag.pk: flag for flag in public_flags}
    if flags:
        versions = _versions("SanctionsFlag", "sanctionsflag", list(flags), FLAG_FIELDS)
        for flag_id, flag in flags.items():
            own = [v for v in versions if v["id"] == flag_id]
            for change in public_changes(own, FLAG_FIELDS):
                # Flags present on the day the gift was published are part of that record.
                if timezone.localdate(change.when) > first_day:
                    entry(change.when).flag_events.append(_flag_event(change, flag))

    return [days[day] for day in sorted(days, reverse=True) if days[day].events]


VISIT_FIELDS = {
    "title": "title",
    "kind": "kind",
    "host_country": "host country",
    "city": "city",
    "venue": "venue",
    "start_date": "start date",
    "end_date": "end date",
    "summary": "summary",
    "sources": "sources",
}


def visit_change_log(visit):
    """The public change log of a visit, newest day first: [(day, [events])]. Two queries.

    The same rules as a gift's: only published versions count, fields are named, never
    their text, and nobody's identity is shown.
    """
    days = {}
    changes = public_changes(_versions("Visit", "visit", [visit.pk], VISIT_FIELDS), VISIT_FIELDS)
    for change in changes:
        events = days.setdefault(timezone.localdate(change.when), [])
        if change.kind == "published":
            events[:] = ["Published"]
        elif events != ["Published"]:
            if change.kind == "republished":
                events.append("Published again")
            if change.fields:
                events.append(f"Changed: {_field_names(change.fields, VISIT_FIELDS)}")
    return [(day, days[day]) for day in sorted(days, reverse=True) if days[day]]
