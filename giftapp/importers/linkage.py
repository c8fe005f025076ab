"""Linking two registers' records of the same real gift.

The US notices of gifts to federal employees come in two transcriptions
(`us-federal-register`, 1999–2018, and `us-foreign-gifts`, 1977–2022): for the years both
cover, most gifts are in both. A pair is proposed only when the two records give the same
day and the same dollar value (the notice's own figures, which both copy); then the words
decide: how alike the two descriptions are (rapidfuzz's token-set ratio on folded text:
the share of the shorter text's words found in the longer, so one transcription's
"Rec'd--… Est. Value--…" around the same words does not count against it) and the
recipients. Each pair of a block is scored, the best taken first, each record used once.

- linked: the words agree (LINK_AT or more) and no other record of the block comes close
  (within MARGIN, in both words and recipient) for either side;
- candidate, for the editors' queue: the words agree less (QUEUE_AT or more), or another
  record comes close — the hard case of one recipient, one donor, one day and several
  objects of the same value;
- below QUEUE_AT, nothing: different objects that happen to share a day and a value.

Every proposal carries its rule and evidence. The kept record is the Federal Register's
(it names its notice); the other is its duplicate. `link()` writes the proposals that no
earlier run or editor has decided (a rejected pair is never proposed again), and retracts
each linked duplicate that is published, with a reason that names the kept record.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz

from ..cache import bump_public_version
from ..models import MERGED_REASON, Gift, GiftLink, LinkStatus, PublicationStatus
from ..text import fold

RULE = "same day and dollar value; same words"
LINK_AT = 80
QUEUE_AT = 60
MARGIN = 10
KEPT_REGISTER = "us-federal-register"
DUPLICATE_REGISTER = "us-foreign-gifts"


@dataclass
class Record:
    """What matching reads of a gift."""

    key: object  # the gift's id, or an import key when matching entries before import
    date: object
    value: object
    text: str
    recipient: str
    country: str = ""
    published: bool = True


@dataclass
class Proposal:
    kept: Record
    duplicate: Record
    status: str
    score: float
    evidence: dict = field(default_factory=dict)


def propose(kept_records, duplicate_records):
    """The proposals for two registers' records (see the module's rules)."""
    blocks = {}
    for record in duplicate_records:
        if record.date is not None and record.value is not None:
            blocks.setdefault((record.date, record.value), []).append(record)
    pairs = []
    for record in kept_records:
        if record.date is None or record.value is None:
            continue
        for other in blocks.get((record.date, record.value), ()):
            pairs.append(_pair(record, other))
    pairs.sort(key=lambda pair: (-pair[0], -pair[1]))
    scores_of = {}
    for text, recipient, kept, duplicate in pairs:
        for record in (kept, duplicate):
            scores_of.setdefault(id(record), []).append((text, recipient))
    used, proposals = set(), []
    for text, recipient, kept, duplicate in pairs:
        if text < QUEUE_AT or id(kept) in used or id(duplicate) in used:
            continue
        used.update((id(kept), id(duplicate)))
        # Other pairs of the block nearly as alike in both words and recipient, for
        # either record (this pair aside): the same object given twice that day.
        rivals = sum(
            sum(t >= text - MARGIN and r >= recipient - MARGIN for t, r in scores_of[id(record)])
            - 1
            for record in (kept, duplicate)
        )
        linked = text >= LINK_AT and not rivals
        proposals.append(
            Proposal(
                kept,
                duplicate,
                LinkStatus.LINKED if linked else LinkStatus.CANDIDATE,
                round(text * 0.8 + recipient * 0.2, 1),
                {
                    "date": kept.date.isoformat(),
                    "value": str(kept.value),
                    "words": round(text, 1),
                    "recipient": round(recipient, 1),
                    "giver_countries": [kept.country, duplicate.country],
                    "close_rivals": rivals,
                },
            )
        )
    return proposals


def _pair(kept, duplicate):
    text = fuzz.token_set_ratio(kept.text, duplicate.text)
    recipient = fuzz.token_set_ratio(kept.recipient, duplicate.recipient)
    if kept.country and duplicate.country and kept.country != duplicate.country:
        text = min(text, QUEUE_AT)  # different givers' countries: an editor decides
    return text, recipient, kept, duplicate


def gift_records(register):
    """The records of a register's gifts in the registry, as matching reads them."""
    gifts = Gift.objects.filter(import_key__startswith=f"{register}:").values_list(
        "pk", "date", "date_precision", "value_usd", "giver_country", "item", "description",
        "recipient_title", "publication_status",
    )  # fmt: skip
    return [
        Record(
            key=pk,
            date=date if precision == "day" else None,
            value=value,
            text=fold(f"{item} {description}"),
            recipient=fold(recipient),
            country=country,
            published=status == PublicationStatus.PUBLISHED,
        )
        for pk, date, precision, value, country, item, description, recipient, status in gifts
    ]


def link(*, dry_run=False):
    """Propose links between the two US transcriptions and write the new ones; return the
    counts by status. Pairs already decided, and duplicates already linked, are left as
    they are."""
    proposals = propose(gift_records(KEPT_REGISTER), gift_records(DUPLICATE_REGISTER))
    decided = set(GiftLink.objects.values_list("kept_id", "duplicate_id"))
    taken = set(
        GiftLink.objects.filter(status=LinkStatus.LINKED).values_list("duplicate_id", flat=True)
    )
    new = [
        p
        for p in proposals
        if (p.kept.key, p.duplicate.key) not in decided and p.duplicate.key not in taken
    ]
    for p in new:
        if p.status == LinkStatus.LINKED and p.duplicate.published and not p.kept.published:
            # Retracting the public record for one not yet public would hide the gift.
            p.status = LinkStatus.CANDIDATE
            p.evidence["kept_not_published"] = True
    counts = {status: sum(p.status == status for p in new) for status in LinkStatus.values}
    if dry_run or not new:
        return counts
    with transaction.atomic():
        GiftLink.objects.bulk_create(
            GiftLink(
                kept_id=p.kept.key,
                duplicate_id=p.duplicate.key,
                status=p.status,
                rule=RULE,
                evidence=p.evidence,
                score=p.score,
            )
            for p in new
        )
        retract_duplicates(
            {p.duplicate.key: p.kept.key for p in new if p.status == LinkStatus.LINKED}
        )
    bump_public_version()
    return counts


def retract_duplicates(kept_of, user=None):
    """Take linked duplicates off the public site, each with a reason naming its kept
    record, in a few statements, with their history rows. `kept_of` maps each
    duplicate's id to its kept record's."""
    now = timezone.now()
    gifts = list(
        Gift.objects.filter(pk__in=kept_of, publication_status=PublicationStatus.PUBLISHED)
    )
    for gift in gifts:
        gift.publication_status = PublicationStatus.RETRACTED
        gift.retraction_reason = MERGED_REASON.format(kept=kept_of[gift.pk])
        gift.retracted_at = now
        gift.updated_at = now
    fields = ["publication_status", "retraction_reason", "retracted_at", "updated_at"]
    Gift.objects.bulk_update(gifts, fields, batch_size=500)
    Gift.history.bulk_history_create(
        gifts,
        default_user=user,
        default_change_reason="Linked to the record of the same gift in another register",
        default_date=now,
    )


def decide(link_record, status, user):
    """An editor's decision on a link: LINKED takes the duplicate off the public site
    (pointing to the kept record), REJECTED puts a duplicate the rule had linked back.
    Written with history; no later run undoes it."""
    now = timezone.now()
    with transaction.atomic():
        was = link_record.status
        link_record.status = status
        link_record.decided_by = user if user and user.pk else None
        link_record.decided_at = now
        link_record._history_user = link_record.decided_by
        link_record.save()
        duplicate = link_record.duplicate
        if status == LinkStatus.LINKED and was != LinkStatus.LINKED:
            retract_duplicates({duplicate.pk: link_record.kept_id}, user=link_record.decided_by)
        elif was == LinkStatus.LINKED and status != LinkStatus.LINKED:
            reason = MERGED_REASON.format(kept=link_record.kept_id)
            if duplicate.is_retracted and duplicate.retraction_reason == reason:
                duplicate.publication_status = PublicationStatus.PUBLISHED
                duplicate.retraction_reason = ""
                duplicate.retracted_at = None
                duplicate._history_user = link_record.decided_by
                duplicate._change_reason = f"Unlinked from gift #{link_record.kept_id}"
                duplicate.save()
    bump_public_version()
