"""The US notices of gifts to federal employees, as a second data set transcribes them.

The same State Department notices as us_federal_register.py, 1977–2022, one row per gift
with the donor's and recipient's name, title and country in columns of their own
(github.com/dwillis/all-foreign-gifts-around-us). Keyed "us-foreign-gifts:<id>:1".

What the data set is like, and what this module does about it:
- `received` is an ISO date, a month ("2010-08"), a year, a period
  ("2014-05-19-2014-05-24": the first day, with a note), or "Unknown" / blank;
- `estimated_value` is a plain number of dollars, or blank (no value given);
- 444 spellings of the disposition, read by the same rules as the Federal Register's;
- `donor_country` is blank where the notice withholds the donor under 5 U.S.C.
  7342(f)(4) (the giver is then "not stated by the register"), comes in many forms
  ("Republic of Korea", "The Republic of Korea"), and a few values are not countries
  ("Jerusalem", "Italian"): the donor's own words are read for the country then, and
  otherwise it is left blank with a note;
- a few values are wrong; corrections.csv beside this module lists each one with the
  reason (row 554, the Constitutional Court of Korea, is tagged as North Korea).
"""

import csv
import datetime
import functools
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .base import Adapter, Entry, Party, RowError, Skip, SourceSpec
from .categories import infer_category
from .countries import UnknownCountry, country_code, country_in_text
from .rules import NAME_LENGTH, TITLE_LENGTH
from .us_federal_register import (
    OUT_OF_SCOPE_INTERNATIONAL,
    OUT_OF_SCOPE_SAME_STATE,
    UsFederalRegisterAdapter,
    classify_disposition,
    clip,
    out_of_scope,
    tidy,
)

CORRECTIONS_FILE = Path(__file__).with_name("us_foreign_gifts_corrections.csv")
DATA_SET_URL = "https://github.com/dwillis/all-foreign-gifts-around-us"
WITHHELD = re.compile(r"(?i)7342\s*\(f\)\s*\(4\)|^\s*(?:unknown|redacted)\b")
WITHHELD_NOTE = (
    "The notice withholds the donor: disclosure could adversely affect United States "
    "intelligence sources or methods (5 U.S.C. 7342(f)(4))."
)
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")
_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\s*[-–]\s*(\d{4}-\d{2}-\d{2})")


@functools.cache
def corrections():
    """(row id, column) -> (corrected value, reason)."""
    with CORRECTIONS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            (row["id"], row["column"]): (row["value"], row["reason"])
            for row in csv.DictReader(handle)
        }


def parse_received(text):
    """(date, precision, note) from the data set's `received` cell."""
    text = text.strip()
    period = _PERIOD.fullmatch(text)
    if period:
        day = datetime.date.fromisoformat(period.group(1))
        return day, "day", f"Received {period.group(1)} to {period.group(2)}; the first day."
    try:
        if _DAY.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text), "day", ""
            except ValueError:
                year, month, _day = map(int, text.split("-"))
                note = f"The register's date, {text}, has no such day; the month is used."
                return datetime.date(year, month, 1), "month", note
        if _MONTH.fullmatch(text):
            year, month = map(int, text.split("-"))
            return datetime.date(year, month, 1), "month", ""
        if _YEAR.fullmatch(text):
            return datetime.date(int(text), 1, 1), "year", ""
    except ValueError:
        raise RowError("received", text, "not a date") from None
    if text.lower() in ("", "unknown"):
        return None, "unknown", ""
    raise RowError("received", text, "not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)")


def parse_value(text):
    """(dollars, value note) from `estimated_value`."""
    text = text.strip()
    if not text:
        return None, "the register gives no value"
    try:
        value = Decimal(text.replace(",", "").lstrip("$"))
    except InvalidOperation:
        return None, f"the register's value is not a number: {clip(text, 200)}"
    if not value.is_finite() or value < 0:
        return None, f"the register's value is not an amount: {clip(text, 200)}"
    return value.quantize(Decimal("0.01")), ""


class UsForeignGiftsAdapter(Adapter):
    name = "us-foreign-gifts"
    columns = (
        "id",
        "name_and_title",
        "gift_description",
        "received",
        "estimated_value",
        "disposition",
        "foreign_donor",
        "circumstances",
        "donor_name",
        "donor_title",
        "donor_country",
        "recipient_name",
        "recipient_title",
    )
    id_column = "id"

    def entries(self, row, line):
        row_id = row["id"].strip()
        if not row_id.isdigit():
            raise RowError("id", row["id"], "the register's row id is not a number")
        fixed = {}
        for (fixed_id, column), (value, reason) in corrections().items():
            if fixed_id == row_id:
                row = {**row, column: value}
                fixed[column] = reason
        description = tidy(row["gift_description"])
        if not description:
            raise RowError("gift_description", row["gift_description"], "the row names no gift")
        donor = tidy(row["foreign_donor"])
        giver, notes = self._giver(row, donor)
        notes += [f"Corrected {column}: {reason}" for column, reason in fixed.items()]
        received, precision, date_note = parse_received(row["received"])
        value, value_note = parse_value(row["estimated_value"])
        disposition_text = tidy(row["disposition"])
        disposition = classify_disposition(disposition_text) or "unknown"
        if date_note:
            notes.append(date_note)
        if disposition_text:
            notes.append(f"Disposition in the register: {disposition_text.rstrip('.')}.")
        item = UsFederalRegisterAdapter._item(description) or "Gift (not described)"
        # The recipient as the notice names them, as the other transcription has it: the
        # data set's own recipient_title is often a fragment ("Dr.", "Colonel") or wrong
        # (Vice President Biden as "President of the United States").
        recipient = Party(
            country="US",
            title=clip(tidy(row["name_and_title"]), TITLE_LENGTH),
            as_reported=row["name_and_title"],
        )
        return [
            Entry(
                item=item,
                giver=giver,
                giver_not_stated=not giver.name and not giver.country,
                recipient=recipient,
                import_key=f"{self.name}:{row_id}:1",
                description=description,
                category=infer_category(item, description),
                date=received,
                date_precision=precision,
                value=value,
                currency="USD" if value is not None else "",
                value_usd=value,
                value_note=value_note,
                disposition=disposition,
                notes=" ".join(notes),
                sources=[
                    SourceSpec(
                        url=DATA_SET_URL,
                        title=(
                            "All foreign gifts around us: the State Department's notices of "
                            "gifts to federal employees, 1977–2022, transcribed"
                        ),
                        publisher="Derek Willis (data set); U.S. Department of State (notices)",
                        kind="the data set that transcribes the notices (its rows name no notice)",
                    )
                ],
            )
        ]

    def _giver(self, row, donor):
        """The giver and the notes about them; a Skip for a donor out of scope."""
        country_text = " ".join(row["donor_country"].split())
        if WITHHELD.search(donor) and not country_text:
            return Party(as_reported=row["foreign_donor"]), [WITHHELD_NOTE]
        reason = out_of_scope(donor) or (
            out_of_scope(country_text)
            if out_of_scope(country_text) == OUT_OF_SCOPE_INTERNATIONAL
            else None
        )
        if reason:
            raise Skip(reason)
        notes = []
        try:
            country = country_code(country_text)
        except UnknownCountry:
            country = country_in_text(donor)
            notes.append(
                f"The register's donor country, {country_text}, is not a country name"
                + ("; the country is the one the donor's title names." if country else ".")
            )
        if not country and country_text == "":
            country = country_in_text(donor)
        if country == "US":
            raise Skip(OUT_OF_SCOPE_SAME_STATE)
        # "Elizabeth II and Phillip": a couple is the first named here (the spouse as a
        # second giver is for leader resolution to add).
        name = clip(tidy(row["donor_name"]).split(" and ")[0], NAME_LENGTH)
        if not country:
            name = ""  # a leader is a person of a country
        return (
            Party(
                name=name,
                country=country,
                title=clip(tidy(row["donor_title"]), TITLE_LENGTH),
                as_reported=row["foreign_donor"],
            ),
            notes,
        )
