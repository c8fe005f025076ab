"""The UK Cabinet Office's register of ministers' gifts (gifts over £140).

One row per gift: the minister and department, the date (as 2025-09-08 or 30/07/2025),
the gift, whether it was given or received, the other side ("donor_recipient"), the
value ("Above limit" when over the £140 threshold but undisclosed), the outcome and the
monthly register it comes from. The register has no country column and no row id:

- the other side's country, and whether it is in scope at all, comes from the committed
  table uk_donors.csv, which lists every form of donor the register uses ("Sultan of
  Oman" -> OM, "Nvidia" -> a company). A form not in the table is reported, not guessed;
- outcomes map to dispositions through uk_outcomes.csv ("Held by department" ->
  retained, "Purchased by the minister" -> purchased).
"""

import csv
import functools
import hashlib
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from giftapp.text import fold

from ..money import to_usd
from .base import Adapter, Entry, Party, RowError, Skip, SourceSpec
from .categories import infer_category
from .titles import gift_title, listed

HERE = Path(__file__).parent
DONORS_FILE = HERE / "uk_donors.csv"
OUTCOMES_FILE = HERE / "uk_outcomes.csv"
COLLECTION_URL = (
    "https://www.gov.uk/government/collections/register-of-ministers-gifts-and-hospitality"
)
PUBLISHER = "Cabinet Office"
ABOVE_LIMIT_NOTE = "above the £140 limit"

# Why a donor (or, for a gift given, a recipient) is out of the registry's scope.
SCOPE_REASONS = {
    "company": "out of scope: the {side} is a company",
    "private": "out of scope: the {side} is a private person or organisation",
    "uk": "out of scope: the {side} is a UK body or person (the minister's own state)",
    "international": "out of scope: the {side} is an international organisation, not a state",
}


@functools.cache
def _donors():
    """Folded donor text -> its row of uk_donors.csv."""
    with DONORS_FILE.open(encoding="utf-8", newline="") as handle:
        return {fold(row["donor_recipient"]): row for row in csv.DictReader(handle)}


@functools.cache
def _outcomes():
    with OUTCOMES_FILE.open(encoding="utf-8", newline="") as handle:
        return {fold(row["outcome"]): row["disposition"] for row in csv.DictReader(handle)}


def parse_date(text):
    """A register date, '2025-09-08' or '30/07/2025' (day first), or None."""
    text = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    british = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if iso:
            return date(*(int(g) for g in iso.groups()))
        if british:
            day, month, year = (int(g) for g in british.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def parse_value(text):
    """(value in GBP or None, value note) for the register's value cell; raises
    ValueError for text that is neither a sum nor a known wording."""
    text = " ".join(text.split())
    if not text or fold(text) in ("n a", "unknown", "not known"):
        return None, ""
    if fold(text) == "above limit":
        return None, ABOVE_LIMIT_NOTE
    amounts = re.findall(r"\d[\d,]*(?:\.\d+)?", text)
    if not re.fullmatch(r"£?\s*[\d,.]+(?:\s*(?:-|–|to)\s*£?\s*[\d,.]+)?", text) or not amounts:
        raise ValueError(text)
    try:
        numbers = [Decimal(a.replace(",", "")).quantize(Decimal("0.01")) for a in amounts]
    except InvalidOperation:
        raise ValueError(text) from None
    if len(numbers) == 2:
        return None, f"between £{numbers[0]:,} and £{numbers[1]:,}"
    return numbers[0], ""


def _title_case(text):
    """'CABINET OFFICE' -> 'Cabinet Office'; text already in mixed case is kept."""
    if not text.isupper():
        return text
    small = {"of", "and", "for", "the", "in", "on"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w.capitalize() for i, w in enumerate(words))


def _minister_name(text):
    """The minister as commonly written: 'Sir Keir Starmer' -> 'Keir Starmer'. Peers keep
    their title, which is how they are known ('Lord Coaker')."""
    return re.sub(r"^(?:Sir|Dame|Lady|Rt Hon\.?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+", "", text.strip())


def _month_slug(source):
    """'Register of Ministers’ Gifts and Hospitality: July to October 2024' ->
    'july-to-october-2024'."""
    period = source.rsplit(":", 1)[-1]
    return re.sub(r"[^a-z0-9]+", "-", period.lower()).strip("-")


class UkMinistersAdapter(Adapter):
    """The import key is built from the row, since the register has no id:
    "uk-ministers:<first 12 hex digits of SHA-256 of minister|date|direction|gift|
    donor_recipient>:1". Those cells say which gift a row is about; the value and the
    outcome are left out, so a later correction of them (a value disclosed, an outcome
    settled) updates the same record instead of adding one. The date is hashed as an ISO
    date, so its two spellings give the same key, and text is folded (case, accents,
    spaces), so a change of capitals does not either."""

    name = "uk-ministers"
    columns = (
        "minister",
        "department",
        "date",
        "gift",
        "given_or_received",
        "donor_recipient",
        "value",
        "outcome",
        "source",
    )
    id_column = ""

    def entries(self, row, line):
        minister = " ".join(row["minister"].split())
        gift = " ".join(row["gift"].split())
        other_text = " ".join(row["donor_recipient"].split())
        if not minister:
            raise RowError("minister", row["minister"], "the row names no minister")
        if not gift:
            raise RowError("gift", row["gift"], "the row names no gift")

        direction = fold(row["given_or_received"])
        if direction.startswith("received"):
            received = True
        elif direction.startswith("given"):
            received = False
        else:
            raise RowError(
                "given_or_received",
                row["given_or_received"],
                "neither 'Given' nor 'Received'",
            )

        other = self._other_side(other_text, received)

        when = parse_date(row["date"])
        if when is None and row["date"].strip():
            raise RowError("date", row["date"], "not a date (expected 2025-09-08 or 30/07/2025)")
        try:
            value, value_note = parse_value(row["value"])
        except ValueError:
            raise RowError(
                "value", row["value"], "not an amount in pounds nor 'Above limit'"
            ) from None

        usd, basis = to_usd(value, "GBP", when.year if when else None)
        outcome = " ".join(row["outcome"].split())
        disposition = _outcomes().get(fold(outcome)) if outcome else "unknown"
        if disposition is None:
            raise RowError(
                "outcome",
                row["outcome"],
                "unknown outcome: add it to the outcome table (giftapp/importers/uk_outcomes.csv)",
            )

        department = _title_case(" ".join(row["department"].split()))
        minister_side = Party(
            name=_minister_name(minister),
            country="GB",
            title=department,
            as_reported=minister,
        )
        notes = []
        by_whom = re.search(r"\((by [^)]*)\)", row["given_or_received"])
        if by_whom:
            notes.append(f"Received {by_whom.group(1)}.")
            minister_side.as_reported = f"{minister} ({by_whom.group(1)})"
        if outcome and disposition != "unknown":
            notes.append(f"Outcome in the register: {outcome}.")

        source_text = " ".join(row["source"].split())
        sources = []
        if source_text:
            sources.append(
                SourceSpec(
                    url=f"{COLLECTION_URL}#{_month_slug(source_text)}",
                    title=source_text,
                    publisher=PUBLISHER,
                    kind="the register's collection on GOV.UK, at the month the row is from",
                )
            )
        item = gift_title(listed(gift, needs_and=False) or [gift]) or gift
        return [
            Entry(
                item=item,
                description=gift if item != gift else "",
                giver=other if received else minister_side,
                recipient=minister_side if received else other,
                import_key=f"{self.name}:{self._row_key(minister, when, row, gift, other_text)}:1",
                category=infer_category(gift),
                date=when,
                date_precision="day" if when else "unknown",
                value=value,
                currency="GBP" if value is not None else "",
                value_usd=usd,
                value_usd_basis=basis if usd is not None else "",
                value_note="; ".join(filter(None, [value_note, "" if usd else basis])),
                disposition=disposition,
                notes=" ".join(notes),
                sources=sources,
            )
        ]

    @staticmethod
    def _other_side(text, received):
        """The foreign party from the donor table, or Skip / RowError."""
        known = _donors().get(fold(text))
        if known is None:
            raise RowError(
                "donor_recipient",
                text,
                "unknown donor or recipient: add it, with its country or the reason it is "
                "out of scope, to the donor table (giftapp/importers/uk_donors.csv)",
            )
        scope = known["scope"].strip()
        if scope == "not_a_donor":
            raise RowError(
                "donor_recipient",
                text,
                "this names a gift, not a donor: the gift and donor_recipient cells look "
                "swapped; correct the row",
            )
        if scope in SCOPE_REASONS:
            raise Skip(SCOPE_REASONS[scope].format(side="donor" if received else "recipient"))
        if scope != "state":
            raise RowError(
                "donor_recipient", text, f"the donor table has an unknown scope {scope!r}"
            )
        return Party(
            name=known["name"].strip(),
            country=known["country"].strip().upper(),
            title=known["title"].strip(),
            as_reported=text,
        )

    @staticmethod
    def _row_key(minister, when, row, gift, other):
        direction = "received" if fold(row["given_or_received"]).startswith("received") else "given"
        when_text = when.isoformat() if when else fold(row["date"])
        cells = [fold(minister), when_text, direction, fold(gift), fold(other)]
        return hashlib.sha256("|".join(cells).encode()).hexdigest()[:12]
