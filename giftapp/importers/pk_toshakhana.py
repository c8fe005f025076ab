"""Pakistan's Toshakhana record: gifts received by office holders, 2002–2022.

The Cabinet Division's published record, as a data set extracts it from the PDF
(github.com/arzzahid66/Pakistan-ToshaKhana-Gifts-Records). One row per gift entry, with
no row id (the key is the CSV record number: "pk-toshakhana:<record>:1") and no donor
column: the giver is "not stated by the register", a stated fact that may be published.

What the record is like, and what this module does about it:
- cells keep the PDF's line breaks and doubled spaces, and a cell may list several
  objects ("a) One Shield b) One Camel"): the text is joined, the list kept in the item;
- values are assessed in rupees (PKR), converted to US dollars at the year's average rate
  (giftapp/money.py); an assessed value of 0 is "not assessed", never a price of nothing;
- `Retention Cost` is what the recipient paid to keep the gift: a gift kept for a price
  was purchased, one kept for nothing retained;
- `Retained` mixes a status ("Yes", "No", "Auctioned") with free text ("Displayed at PM
  House"), and "-do-" (ditto) repeats the row above: each is read to a disposition, and
  the register's words are kept in the notes;
- 1,876 categories are blank: the category is then read from the item's words;
- a heading of the printed table repeats once inside the data (skipped), and one row's
  cells are shifted (a date where the recipient should be: rejected).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from ..money import to_usd
from .base import Adapter, Entry, Party, RowError, Skip, SourceSpec
from .categories import infer_category
from .rules import NAME_LENGTH, TITLE_LENGTH
from .titles import gift_title
from .us_federal_register import clip

DATA_SET_URL = "https://github.com/arzzahid66/Pakistan-ToshaKhana-Gifts-Records"
HEADING_REPEATED = "a heading of the printed table, repeated inside the record"
_LIST_MARKER = re.compile(r"(?:^|\s)(?:\(?[a-z]\)|\(?[ivx]{1,4}[.)]|[a-z]\.)\s+", re.IGNORECASE)
_SPOUSE = re.compile(r"(?i)^begum\b|\bwife of\b|\bspouse\b")
# Forms of address, ranks and offices written before a name ("Sqn. Ldr.", "Brig. (r)",
# "Prime Minister Mr."), taken off one after another.
_BEFORE_NAME = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Engr|Justice|Senator|"
    r"(?:Lt\.?\s*|Maj\.?\s*|Major\s+)?Gen(?:eral)?|Lt\.?\s*Col|Col|Colonel|Maj|Major|"
    r"Brig(?:adier)?|Capt|Captain|Lt\.?\s*Cdr|Cdr|Cdre|Commodore|(?:Rear|Vice)\s+Admiral|"
    r"Admiral|Air\s+(?:Chief\s+)?Marshal|Air\s+Cdre|Sqn\.?\s*Ldr|Wg\.?\s*Cdr|Gp\.?\s*Capt|"
    r"Flt\.?\s*Lt|SP|ASP|DSP|SSP|Insp(?:ector)?|Sub(?:edar)?|Naib\s+Subedar|Hav|Nk|L/Nk|"
    r"Cons|H/Constable|Constable|Sep|Prime\s+Minister|President)\.?\s+|\((?:r|retd)\)\s*)+",
    re.IGNORECASE,
)
# Words that make a phrase an office, not a name.
_OFFICE_WORD = re.compile(
    r"(?i)\b(?:minister|secretary|president|officer|director|chairman|chairperson|advisor|"
    r"adviser|assistant|ambassador|protocol|staff|official|officials|adc|ps|cso|aso|pro|dg|"
    r"spokes(?:man|person)|commander|chief|governor|speaker|leader|senate|house|secretariat|"
    r"division|ministry|wing|army|navy|air force|paf|police|security|to|of|for|the)\b"
)
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,5}$")
_DATE_LIKE = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
_NUMBERS = {
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_QUANTITY = re.compile(r"^(\d{1,3}|[A-Za-z]+)\s+(?!pair|set|box|pack|packet|bottle)", re.I)
# The record's own categories, where it gives one (the first of several).
CATEGORIES = {
    "watch": "jewelry",
    "jewellery/accessories": "jewelry",
    "jewellery": "jewelry",
    "jewelry": "jewelry",
    "decoration pieces": "decoration",
    "clock": "decoration",
    "carpet": "textile",
    "clothes": "textile",
    "bags": "textile",
    "bag": "textile",
    "crockery": "tableware",
    "phone": "electronics",
    "tech": "electronics",
    "technology": "electronics",
    "weapons": "weapon",
    "food": "food_drink",
    "pen": "other",
    "cigar/cigarettes": "other",
}
# The Retained column, read to a disposition: first match wins.
_DISPOSITIONS = [
    ("state_collection", re.compile(r"(?i)^no\b|deposited in toshakhana|placed at|toshakhana")),
    ("retained", re.compile(r"(?i)display|^yes\b|retained|declared but not deposited")),
    ("purchased", re.compile(r"(?i)^amount")),
]


def words(text):
    return " ".join((text or "").split())


def parse_amount(text, column):
    text = words(text)
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise RowError(column, text, "not an amount of rupees") from None
    if not value.is_finite() or value < 0:
        raise RowError(column, text, "not an amount of rupees")
    return value.quantize(Decimal("0.01"))


def quantity_of(item):
    """The number of objects when the cell names one kind of object with a count
    ("Two small silver bowls" -> 2); None when it lists several or gives no count."""
    if ";" in item:
        return None
    match = _QUANTITY.match(item)
    if not match:
        return None
    word = match.group(1).lower()
    number = int(word) if word.isdigit() else _NUMBERS.get(word)
    return number if number and number >= 1 else None


class PkToshakhanaAdapter(Adapter):
    name = "pk-toshakhana"
    columns = (
        "Detail of Gifts",
        "Item Category",
        "Name of Recipient",
        "Affiliation",
        "Date",
        "Assessed Value",
        "Retention Cost",
        "Retained",
        "Remarks",
    )
    id_column = ""  # none: rows are keyed by their CSV record number
    record = 0  # set by the importer before each row

    def __init__(self):
        self.previous_retained = ""

    def entries(self, row, line):
        retained = words(row["Retained"])
        if retained.lower() == "-do-":
            retained = self.previous_retained
        else:
            self.previous_retained = retained
        recipient_text = words(row["Name of Recipient"])
        if recipient_text.lower() == "date" and not words(row["Date"]):
            raise Skip(HEADING_REPEATED)
        if _DATE_LIKE.match(recipient_text):
            raise RowError(
                "Name of Recipient",
                recipient_text,
                "the recipient cell holds a date: the row's cells are shifted",
            )
        detail = words(row["Detail of Gifts"])
        if not detail:
            raise RowError("Detail of Gifts", row["Detail of Gifts"], "the row names no gift")
        received = self._date(row["Date"])
        assessed = parse_amount(row["Assessed Value"], "Assessed Value")
        cost = parse_amount(row["Retention Cost"], "Retention Cost")
        listed = _LIST_MARKER.sub("; ", f" {detail}").strip(" ;")
        listed = re.sub(r"\s*[:;]\s*-?\s*;\s*", ": ", listed)
        item = gift_title(listed.split("; ")) or "Gift (not described)"
        value, usd, basis = None, None, ""
        if assessed is None:
            value_note = "the record gives no assessed value"
        elif assessed == 0:
            value_note = "the record gives 0: not assessed"
        else:
            value = assessed
            usd, basis = to_usd(value, "PKR", received.year if received else None)
            value_note = "" if usd is not None else basis
        notes = []
        disposition = self._disposition(retained, cost)
        if retained:
            notes.append(f"Retained, in the record: {retained.rstrip('.')}.")
        if cost:
            notes.append(f"Retention cost paid: PKR {cost:,.0f}.")
        affiliation = words(row["Affiliation"])
        if affiliation:
            notes.append(f"Affiliation, in the record: {affiliation}.")
        remarks = words(row["Remarks"])
        if remarks and remarks != words(row["Retained"]):
            notes.append(f"Remarks: {remarks.rstrip('.')}.")
        return [
            Entry(
                item=item,
                giver_not_stated=True,
                recipient=self._recipient(recipient_text, row["Name of Recipient"]),
                import_key=f"{self.name}:{self.record}:1",
                description=detail,
                category=self._category(row["Item Category"], listed),
                quantity=quantity_of(listed),
                date=received,
                date_precision="day" if received else "unknown",
                value=value,
                currency="PKR" if value is not None else "",
                value_usd=usd,
                value_usd_basis=basis if usd is not None else "",
                value_note=value_note,
                disposition=disposition,
                notes=" ".join(notes),
                sources=[
                    SourceSpec(
                        url=DATA_SET_URL,
                        title=(
                            "Toshakhana record of gifts, 2002–2022 (Cabinet Division, "
                            "Government of Pakistan), extracted from the published PDF"
                        ),
                        publisher="Cabinet Division, Government of Pakistan",
                        kind=(
                            "the data set that extracts the Cabinet Division's published "
                            "record (the PDF is not linked row by row)"
                        ),
                    )
                ],
            )
        ]

    @staticmethod
    def _category(text, item):
        first = words(text).split(",")[0].strip().lower()
        return CATEGORIES.get(first) or infer_category(item)

    @staticmethod
    def _date(text):
        text = words(text)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise RowError("Date", text, "not a date (expected YYYY-MM-DD)") from None

    @staticmethod
    def _disposition(retained, cost):
        if retained.lower().startswith("auction"):
            return "unknown"  # sold by the state: no code says so; the notes do
        for code, pattern in _DISPOSITIONS:
            if pattern.search(retained):
                if code == "retained" and cost:
                    return "purchased"
                return code
        return "unknown"

    @staticmethod
    def _recipient(text, verbatim):
        """An office holder of Pakistan: the named person, or the office alone (a spouse
        named only as someone's wife is not given another's name)."""
        name, office = person(text)
        return Party(
            name=clip(name, NAME_LENGTH),
            country="PK",
            title=clip(office or text, TITLE_LENGTH),
            as_reported=verbatim,
        )


def person(text):
    """(name, office) of a recipient as the record writes them: "Mr. Abdul Sattar,
    Minister for Foreign Affairs" -> ("Abdul Sattar", "Minister for Foreign Affairs");
    "Sqn. Ldr. Farooq Akbar, PAF" -> ("Farooq Akbar", "PAF"); ("", text) when the text
    names an office only, or a spouse by her husband's name."""
    text = words(text).strip(" .,")
    if not text or _SPOUSE.search(text):
        return "", text
    rest = _BEFORE_NAME.sub("", text)
    head, _, office = rest.partition(",")
    if not office:
        # "Major Saad Zafar Assistant Security Officer to Prime Minister": the name ends
        # where the office's first word begins.
        found = _OFFICE_WORD.search(head)
        if found and len(head[: found.start()].split()) >= 2:
            head, office = head[: found.start()], head[found.start() :]
    head = head.strip(" .")
    # "Aqeel Rashad AM (Tech)": a trailing abbreviation is the office's.
    head = re.sub(r"(?:\s+[A-Z]{2,3}\b\.?(?:\s*\([^)]*\))?)+$", "", head)
    if not head or _OFFICE_WORD.search(head) or not _NAME.match(head):
        return "", text
    office = office.strip(" .,")
    return head, (office if office[:1].isupper() else text)
