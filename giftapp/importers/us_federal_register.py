"""The US Federal Register's "Gifts to Federal Employees from Foreign Government Sources".

One row per notice line as the published data set has it: the recipient and agency, the
notice year, the donor and a donor country someone derived from the donor text, and a
packed description: "Item. Rec'd--October 20, 1998. Est. Value-- $1500. Archives
Foreign." A cell may hold several such entries; each becomes one gift, keyed
"us-federal-register:<id>:<n>".

What the register's text is like, and what this module does about it:
- the received marker is spelled "Rec'd--", "Recd--", "Received--", "Rec'd:", "Rec'd "
  and a few typos; a cell with no marker is one entry whose date is found in its text;
- dates come as "October 20, 1998", "October 1998", "1998", "3/24/ 2011", "26- Dec-07",
  ranges ("9/9-11/2015": the first day) and "2005 or Before" (unknown);
- `year_received` is the year of the notice, not of the gift: it names the source;
- `donor_country` is "NA" when missing (not Namibia), and a few values come from a word
  of the donor's title rather than from the donor ("Field Marshall" -> Marshall Islands,
  "Ambassador … to the United States"): those are left blank for an editor, with a note;
- the text carries the printed notice's line-break hyphens ("Roh Moo- hyun"), its
  entity codes ("[eacute]"), fractions ("4\\1/2\\''") and, at page breaks, headings of the
  printed table; cells where a page's headings run several donors together are rejected.
"""

import dataclasses
import functools
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from html.entities import html5

from .base import Adapter, Entry, Party, RowError, Skip, SourceSpec
from .categories import infer_category
from .countries import UnknownCountry, country_code, country_in_text
from .rules import NAME_LENGTH, TITLE_LENGTH, VALUE_NOTE_LENGTH
from .titles import gift_title

REGISTER_TITLE = "Gifts to Federal Employees from Foreign Government Sources"
PUBLISHER = "U.S. Department of State / Federal Register"
SEARCH_URL = (
    "https://www.federalregister.gov/documents/search"
    "?conditions%5Bpublication_date%5D%5Byear%5D={year}"
    "&conditions%5Bterm%5D=%22Gifts+to+Federal+Employees+from+Foreign+Government+Sources%22"
)
NOTICE_URL = "https://www.federalregister.gov/d/{number}"
_FR_DOC_LINE = re.compile(r"\s*\[?\s*FR Doc\..*$", re.DOTALL)
_FR_DOC = re.compile(r"FR Doc\.?\s*(\d{2,4}-\d{3,6})\b")
# A donor the notice withholds, or names only as an office holder of no stated country.
WITHHELD = re.compile(r"(?i)^\s*(?:redacted|unknown|foreign government official)\b")
EARLIEST_YEAR = 1950  # a received date before this is a misprint

# --- Cleaning the printed notice's text --------------------------------------------------

_ENTITY = re.compile(r"\[([A-Za-z]{2,8})\]")
# "\3/4\", "\1/ 2\", and "\1 2\" (four notices): a fraction. The two numbers are parted by
# a slash or by spaces, never by nothing, so a long run of digits is read in linear time
# (with nothing required between them, a backslash and 20,000 digits took seconds).
_FRACTION = re.compile(r"\\\s*(\d+)(?:\s*/\s*|\s+)(\d+)\s*\\")
_QUOTED = re.compile(r"``(.*?)''", re.DOTALL)
_TWO_APOSTROPHES = re.compile(r"(?<![\d'])''(?=\S)([^'\n]{1,300}?)(?<=\S)''(?!')")
_INCHES = re.compile(r"(?<=\d)''")
_LINE_BREAK_HYPHEN = re.compile(r"(?<=[A-Za-z])- (?=[A-Za-z])")
# The printed table's headings, caught in a cell at a page break.
_PAGE_HEADING = re.compile(
    r"Identity of foreign donor|\[?Report of (?:Tangible|Trav)|Brief description (?:and|of)|"
    r"\b(?:AGENCY|ENTITY|GENCY)\s*:|\bAgency:\s+Department|\[?\w? ?Name and title of person",
    re.IGNORECASE,
)


def _entity(match):
    """'[eacute]' -> 'é', '[edot]' -> 'ė': the printed notice's entity codes, by their HTML
    names; an unknown one is left as it is."""
    return html5.get(f"{match.group(1)};", match.group(0))


# A link's scrap, to the end of its word or quote: `<a href="http:// Clearing House,''`
# keeps "Clearing House". Never more: what follows is the entry's value, date and fate.
_LINK = re.compile(
    r"<a\s+href=\"?(?:https?://)?[^\s\"'<>]*\"?>?|</a>|\b(?:https?://|www\.)\S*", re.I
)


def tidy(text):
    """The register's text made readable: entities, fractions, quotes, hyphens, spaces,
    and the scraps of web links the published data set carries."""
    text = text or ""
    if "[" in text:
        text = _ENTITY.sub(_entity, text)
    if "<a" in text or "www." in text or "http" in text:
        text = _LINK.sub("", text)
    if "\\" in text:
        text = _FRACTION.sub(r" \1/\2", text)
    if "``" in text:
        text = _QUOTED.sub(r"“\1”", text)
    if "''" in text:
        # Two apostrophes stand for a double quote (''Title'') or, after a number, inches.
        text = _INCHES.sub("″", _TWO_APOSTROPHES.sub(r"“\1”", text))
    if "- " in text:
        text = _LINE_BREAK_HYPHEN.sub("-", text)
    return " ".join(text.split())


_HEADING_HINTS = (
    "dentity of", "eport of", "rief description", "gency:", "ntity:", "ame and title of",
)  # fmt: skip


def _cut_heading(text):
    """The text before a page's table headings, and the headings on (or "")."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _HEADING_HINTS):
        return text, ""
    match = _PAGE_HEADING.search(text)
    return (text[: match.start()], text[match.start() :]) if match else (text, "")


def _words(text):
    return frozenset(text.split())


# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = _words(
    "u.s mr mrs ms dr st no nos rm bldg sept sep sec jr sr inc co ave def est ext mt ft gen "
    "adm lt col capt sgt rep reps sen dept approx appx ca kt vs jan feb mar apr jun jul aug "
    "oct nov dec govt h.e e.g i.e vol ltd corp univ natl rd in oz lb lbs cm mm pp fig rev "
    "dia op h.h h.r.h t.h h.m s.e u.k u.n u.a.e hon min k.g p.c n.w d.c s.t"
)
_STOP = re.compile(r"[.;](?=\s|$)")
_LAST_WORD = re.compile(r"([A-Za-z.']+)$")


def _after_punctuation(text, index, stop=None):
    """Skip the punctuation and spaces that close a clause."""
    stop = len(text) if stop is None else stop
    while index < stop and text[index] in " .;,:":
        index += 1
    return index


def _sentence_end(text, start=0):
    """The index just after the sentence that begins at `start`, or len(text)."""
    for match in _STOP.finditer(text, start):
        before = _LAST_WORD.search(text, start, match.start())
        word = before.group(1).lower().strip(".'") if before else ""
        if match.group() == "." and (word in _ABBREVIATIONS or len(word) == 1):
            continue
        return match.end()
    return len(text)


# --- Markers inside the description --------------------------------------------------------

RECEIVED = re.compile(
    r"(?<![A-Za-z'])(?:[Rr]ec'?d|[Rr]ecv'?d|[Rr]e'cd|[Rr]eced|[Rr]edc|REC'?D)(?![A-Za-z])"
    r"\s*\.?\s*:?\s*(?:-+|–)?\s*"
    r"|(?<![A-Za-z])(?:Reed|Red|Rec)\s*-{2,3}\s*"
    r"|(?<![A-Za-z])(?:[Rr]eceived|RECEIVED)\s*-+\s*"
    r"|\bReceived\b\s*:?\s*(?=[A-Z0-9])"
)
VALUE = re.compile(
    r"(?i)\b(?:(?:est(?:imated)?\.?|ext\.)\s*va(?:lu|ul|ju)e|appraised(?:\s*value)?(?:\s*\(prior\))?|"
    r"total(?:\s*value)?|value)\s*[:\-–]*\s*"
    r"(?=\$|\d|unknown|not\b|n/?a\b|none|over|above|exceed|in excess|more than|less than|"
    r"under|approx|about|minimal|nominal|\(|-\s*\$)"
)
_LABEL = re.compile(r"(?i)^\W*(?:disposition|location)\s*(?:-+|:)\s*")
# Dispositions printed without a full stop, so the next item's name follows directly.
_CLOSED = re.compile(
    r"(?i)^\W*(?:archives foreign|government property|accepted by another government agency|"
    r"archives, staff gift)\b\.?"
)
_CONTINUATION = re.compile(
    r"(?i)^\W*(?:perishabl|currently|reported to|pending|wine|handled|transferred|"
    r"deposited|displayed)"
)

# --- Dates ---------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_M = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY_PATTERNS = [
    ("mdy", re.compile(r"(\d{1,2})/(\d{1,2})(?:-(?:\d{1,2}/)?\d{1,2})?/(\d{4}|\d{2})(?![\d/])")),
    (
        "Mdy",
        re.compile(
            _M + r"\s*(\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*(?:" + _M + r"\s*)?"
            r"\d{1,2})?,?\s*(\d{4})(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "dMy",
        re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s-]+" + _M + r"[\s,-]+(\d{4}|\d{2})(?!\d)", re.I),
    ),
    ("iso", re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")),
]
_MONTH_PATTERNS = [
    ("My", re.compile(_M + r",?\s+(\d{4}|\d{2})(?![\d/,])", re.IGNORECASE)),
    ("my", re.compile(r"(?<![\d/])(\d{1,2})/(\d{4})(?!\d)")),
]
_YEAR = re.compile(
    r"(?i)(?:(?:spring|summer|fall|autumn|winter|early|mid|late)[\s-]+)?((?:19|20)\d{2})(?![\d/])"
)
_DATE_PREFIX = re.compile(
    r"(?i)^\W*(?:(?:approximate(?:ly)?|approx\.?|on or about|about|circa|ca\.|in|on|"
    r"estimated)\s*(?:date)?\s*[:\-]*\s*)?"
)
_UNCERTAIN = re.compile(r"(?i)^\W*(?:or before|or earlier|or prior|and before)")


def _year(text, notice_year):
    """A four-digit year; a two-digit one is read in the notice's century (or the one
    before, when that would put the gift after the notice)."""
    year = int(text)
    if len(text) == 2:
        year += notice_year // 100 * 100
        if year > notice_year + 1:
            year -= 100
    return year


def _make_date(kind, groups, notice_year):
    if kind == "mdy":
        month, day, year = int(groups[0]), int(groups[1]), _year(groups[2], notice_year)
    elif kind == "Mdy":
        month, day, year = _MONTHS[groups[0][:3].lower()], int(groups[1]), int(groups[3])
    elif kind == "dMy":
        day, month, year = int(groups[0]), _MONTHS[groups[1][:3].lower()], groups[2]
        year = _year(year, notice_year)
    elif kind == "iso":
        year, month, day = (int(g) for g in groups)
    elif kind == "My":
        month, day, year = _MONTHS[groups[0][:3].lower()], 1, _year(groups[1], notice_year)
    else:  # "my"
        month, day, year = int(groups[0]), 1, int(groups[1])
    if not EARLIEST_YEAR <= year <= notice_year + 1:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


_SLASH_IN_DATE = re.compile(r"\s*/\s*")
_DASH_IN_DATE = re.compile(r"(?<=\d)\s*-\s*(?=\d)")
_PERIOD = re.compile(r"\d\s*(?:-|–|to|and)\s*\w")


# "9 14/2004": a slash the notice lost between month and day.
_LOST_SLASH = re.compile(r"(?<![\d/])(\d{1,2})\s+(?=\d{1,2}/\d{4}\b)")


def _normalise_date_text(text):
    text = _LOST_SLASH.sub(r"\1/", _SLASH_IN_DATE.sub("/", text))
    return _DASH_IN_DATE.sub("-", text)


def parse_received(text, notice_year, *, anchored=True):
    """(date, precision, period) from the text after a received marker (anchored) or
    anywhere in an entry without one. Unknown when nothing fits or the date is not
    plausible. A period ("9/9-11/2015") gives its first day, and its text as `period`."""
    text = _normalise_date_text(text[:200])
    if anchored:
        text = text[_DATE_PREFIX.match(text).end() :]
    candidates = []
    for precision, patterns in (("day", _DAY_PATTERNS), ("month", _MONTH_PATTERNS)):
        for kind, pattern in patterns:
            match = pattern.match(text) if anchored else pattern.search(text)
            if match:
                candidates.append((match.start(), precision, kind, match))
    for _start, precision, kind, match in sorted(candidates, key=lambda c: (c[0], c[1] != "day")):
        found = _make_date(kind, match.groups(), notice_year)
        if found:
            spoken = match.group(0).strip()
            period = spoken if kind in ("mdy", "Mdy") and _PERIOD.search(spoken) else ""
            return found, precision, period
    if anchored:
        match = _YEAR.match(text)
        if match and not _UNCERTAIN.match(text[match.end() :]):
            year = int(match.group(1))
            if EARLIEST_YEAR <= year <= notice_year + 1:
                return date(year, 1, 1), "year", ""
    return None, "unknown", ""


# --- Values --------------------------------------------------------------------------------

_AMOUNT = r"\$?\s*(?:\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?(?!,?\d)|\d+(?:[.,]\d+)*)(?:\s*million)?"
_QUALIFIER = (
    r"(?:(?:over|above|exceeds?|in excess of|more than|greater than|approx(?:imately|\.)?|"
    r"about|under|less than)\s*)"
)
_EACH = r"(?:\s*(?:ea\.?|each|apiece|per\s+[a-z]+))?"
_SEPARATOR = r"\s*(?:,|and|&|/|\+|-{1,2}|–|—|to)\s*"
# The amounts after an "Est. Value" label and nothing more: "$1500", "$250- 500.00",
# "$475.00 and $465.00", "$5700.00, $5,700.00 ($11,400.00)", "$322.66, 133.33 = $455.99".
_VALUE_EXPRESSION = re.compile(
    rf"(?i)\s*(?:\$\s*)?{_QUALIFIER}?(?P<list>{_AMOUNT}{_EACH}"
    rf"(?:{_SEPARATOR}{_QUALIFIER}?{_AMOUNT}{_EACH})*)"
    rf"(?:\s*\(\s*(?:total\s*[:\-]*\s*)?(?P<paren>{_AMOUNT})\s*\)"
    rf"|\s*=\s*(?P<equals>{_AMOUNT})"
    rf"|\s*[;,]\s*(?P<set>{_AMOUNT})\s+(?:for the set|total|in total|for all))?"
)
_NO_VALUE = re.compile(
    r"(?i)\s*\$?\s*(?:unknown|not applicable|not available|not submitted|n/?a\b|none|minimal|"
    r"nominal|undetermined|to be determined|pending|awaiting appraisal)[^.;]*"
)
_NUMBER = re.compile(_AMOUNT)
_DOLLARS = re.compile(r"\$\s*\d[\d,.]*")
# "$190.00, $100.00 and $10.00, respectively. Total Value $300.00."
_TOTAL_AFTER = re.compile(
    r"(?i)[\s,.;]*(?:respectively[\s,.;]*)?(?:--\s*)?total(?:\s*value)?\s*[:\-–]*\s*(?=\$|\d)"
)
_MORE_THAN = re.compile(r"(?i)^\W*(?:over|above|exceeds?|in excess of|more than|greater than)\b")
_LESS_THAN = re.compile(r"(?i)^\W*(?:under|less than)\b")


_NOT_DIGITS = re.compile(r"[$\s]")
_DECIMAL_COMMA = re.compile(r"\d+(?:,\d{3})*,\d{2}")
# "$1.650.00" (four notices of 2014): dots for thousands, and one before the cents.
_THOUSANDS_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+\.\d{2}")
_RANGE = re.compile(r"\d\s*(?:-{1,2}|–|—|to)\s*\$?\s*\d")
_PER_ITEM = re.compile(r"(?i)\b(?:ea\.?|each|apiece|per\s+[a-z]+)")


def _decimal(text):
    """'$1,500.00' -> 1500.00; a comma before two final digits is a decimal comma
    ('$30,00', '$1,100,00'); None for what is not a number."""
    number = _NOT_DIGITS.sub("", text)
    million = number.lower().endswith("million")
    number = number.removesuffix("million").removesuffix("Million")
    if _DECIMAL_COMMA.fullmatch(number):
        head, _, cents = number.rpartition(",")
        number = f"{head.replace(',', '')}.{cents}"
    elif _THOUSANDS_DOTS.fullmatch(number):
        head, _, cents = number.rpartition(".")
        number = f"{head.replace('.', '')}.{cents}"
    try:
        amount = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    return (amount * 1_000_000 if million else amount).quantize(Decimal("0.01"))


def read_value(text, start=0):
    """Read the value after an "Est. Value" label at `start`: (amount in USD or None,
    value note, index where the value ends)."""
    match = _VALUE_EXPRESSION.match(text, start)
    if not match:
        blank = _NO_VALUE.match(text, start)
        return None, "", blank.end() if blank else start
    listed = match.group("list")
    amounts = [a for a in map(_decimal, _NUMBER.findall(listed)) if a is not None]
    total = match.group("paren") or match.group("equals") or match.group("set")
    head = text[start : match.start("list")]
    if total:
        value, note = _decimal(total), ""
    elif not amounts:
        # Digits that are no amount ("$1.2.3"): said, never guessed.
        said = listed.strip()
        value, note = None, (f"given as “{said[:60]}”, not a readable amount" if said else "")
    elif _MORE_THAN.match(head):
        value, note = None, f"more than ${amounts[0]:,}"
    elif _LESS_THAN.match(head):
        value, note = None, f"less than ${amounts[0]:,}"
    elif len(amounts) == 2 and _RANGE.search(listed):
        value, note = None, f"between ${amounts[0]:,} and ${amounts[1]:,}"
    elif _PER_ITEM.search(listed):
        value, note = None, f"{listed.strip()} (no total given)"
    elif len(amounts) == 1:
        value, note = amounts[0], ""
    else:
        value = sum(amounts)
        note = "the sum of the values listed (" + " + ".join(f"${a:,}" for a in amounts) + ")"
    return value, note, match.end()


# --- Dispositions ----------------------------------------------------------------------------

# Read on the text squashed to letters and digits ("Transferr ed" -> "transferred"): the
# first rule that matches decides. Order matters: a purchase through GSA is a purchase, a
# gift "retained … pending transfer to GSA" is on its way to a state collection.
DISPOSITIONS = [
    ("purchased", r"purchas"),
    (
        "returned",
        r"returnedto(?:the)?(?:donor|sender|foreigngovernment|government|hisexcellency|"
        r"herexcellency)|returntosender",
    ),
    ("destroyed", r"destroy|destruction"),
    ("donated", r"charity|charitable|donatedto"),
    ("museum", r"museum|library"),
    ("archives", r"ar?chive|nara"),
    (
        "state_collection",
        r"pendingtransfer|pendingturnin|pendinggsa|awaitinggsa|transferredto|transferto|"
        r"turnedin|turnin|deliveredto|forwardedto|reportedtogsa|reporttogsa|gsa|"
        r"generalservice|excess|governmentproperty|giftvault|giftlocker|locker|vault|"
        r"giftoffice|giftsoffice|secretaryofthesenate|anothergovernmentagency|"
        r"officeofprotocol|fordisposition|depositedwith|tenderedto|officeoftheclerk|"
        r"supremecourt|districtcourt|acceptedonbehalf|acceptedby|giftprogram|giftcupboard|"
        r"giftunit|surrendered|depositedin|^osd",
    ),
    (
        "retained",
        r"retain|officialuse|officialdisplay|ondisplay|display|keptby|approvedfor|"
        r"officeuse|officialpurposes|headquart|instorage|stored|secretarysoffice|"
        r"administratorssuite|directorsoffice",
    ),
    ("consumed", r"perishabl|consumed|expendedfor|secretservice|handledpursuant|eaten"),
]
_DISPOSITION_RULES = [(code, re.compile(pattern)) for code, pattern in DISPOSITIONS]
_NOT_AVAILABLE = re.compile(r"^(?:na|none|unknown|notapplicable)$")
_SQUASH = re.compile(r"[^a-z0-9]")
_SQUASHED_LABEL = re.compile(r"^(?:disposition|location)+")


def classify_disposition(text):
    """The registry's disposition code for a register's disposition text, or None when
    the text does not read as a disposition at all."""
    squashed = _SQUASH.sub("", (text or "").lower())
    squashed = _SQUASHED_LABEL.sub("", squashed)
    if not squashed:
        return None
    if _NOT_AVAILABLE.match(squashed):
        return "unknown"
    for code, pattern in _DISPOSITION_RULES:
        if pattern.search(squashed):
            return code
    return None


# --- People and bodies -------------------------------------------------------------------------

_HONORIFIC = re.compile(
    r"(?i)^(?:(?:his|her|their)\s+(?:all\s+)?(?:royal\s+|imperial\s+|serene\s+)?"
    r"(?:excellenc(?:y|ies)|majest(?:y|ies)?|highness(?:es)?|holiness|eminence|beatitude|grace)"
    r"|h\.\s?r\.\s?h\.?|h\.\s?e\.?|h\.\s?h\.?|h\.\s?m\.?|t\.\s?h\.?|s\.\s?e\.?"
    r"|(?:the\s+)?custodian\s+of\s+the\s+two\s+holy\s+mosques"
    r"|the\s+(?:right\s+|most\s+)?hono(?:u)?rable|(?:right\s+)?hono(?:u)?rable|hon\."
    r"|mr\.?\s+and\s+mrs\.?|mr\.?|mrs\.?|ms\.?|miss|madame|madam|mme\.?|dr\.?|sr\.?|sra\.?"
    r"|srta\.?|prof\.?|professor|engineer|eng\.|sir|dame|lady|the)(?=[\s,.]|$)[\s,.]*"
)
_RANK = re.compile(
    r"(?i)^(?:(?:field|air(?:\s+(?:vice|chief))?|fleet)\s+marshall?|(?:vice|rear)\s+admiral|"
    r"admiral|(?:major|lieutenant|brigadier|maj\.?|lt\.?|brig\.?)\s*-?\s*(?:general|gen\.?)|"
    r"general[\s-]+colonel|colonel[\s-]+general|police\s+general|superintendent\s+general|"
    r"staff\s+brigadier|general|gen\.|(?:lieutenant\s+)?colonel|lt\.?\s*col\.?|col\.|"
    r"captain(?:\s+first\s+rank)?|capt\.|commodore|major|brigadier|ltg|maj\.?\s*gen\.?|col\.?|"
    r"brig\.?\s*gen\.?|"
    r"councilor|councillor|senator|engineer|special\s+agent|vadm\.?|radm\.?|adm\.?|amb\.?|gen|lt\.?\s*gen\.?|"
    r"ltc|cdr|lcdr)(?=[\s,]|$)[\s,]*"
)
_ROYAL = re.compile(
    r"(?i)^(?:king|queen|crown\s+prince|prince|princess|emir|amir|pope|grand\s+duke|"
    r"grand\s+duchess|sheikh|sheikha|shaikh|shaykh|sheik|sultan(?=\s+(?:haji|qaboos)))\s+"
)
_OFFICE_PREFIX = re.compile(
    r"(?i)^((?:vice\s+|deputy\s+|acting\s+|former\s+)?(?:president|prime\s+minister|premier|first\s+lady|"
    r"minister|foreign\s+minister|defen[cs]e\s+minister|ambassador|governor|mayor|chairman|"
    r"speaker|secretary))\s+(?=[A-Z])"
)
_SUFFIX = re.compile(
    r",?\s+(?:jr\.?|sr\.?|ph\.?\s?d\.?|m\.?d\.?|m\.?p\.?|mla|k\.?g\.?|k\.?t\.?|g\.?c\.?b\.?|"
    r"p\.?c\.?|usn|ret\.?|\(retired\)|(?:[a-z]\.){2,4})(?=,|$)|,\s*(?:ii|iii|iv)(?=,|$)",
    re.IGNORECASE,
)
_NOT_NAME_WORDS = _words(
    "government govt ministry embassy council office delegation department agency "
    "organization organisation university college institute foundation association bank "
    "commission committee program programme secretariat directorate bureau center centre "
    "academy service authority parliament union league party group company corporation court "
    "summit conference forum expo federation society house laboratory school church trust "
    "team club unit command headquarters fund forces force navy army police municipal "
    "province region city community chamber division section staff republic kingdom state "
    "emirates president minister secretary director chairman chairwoman chairperson chair "
    "ambassador governor mayor premier speaker chief commander attache attaché consul "
    "counsellor counselor deputy head member officer advisor adviser representative envoy "
    "spouse wife husband manager executive official employee delegate chancellor rector dean "
    "commissioner inspector superintendent justice judge leader founder ceo unknown redacted "
    "foreign of for from by the and family families members people citizens students "
    "donor donors na travel gifts first lady ladies white vice prime agency"
)
_PARTICLES = _words(
    "bin bint ibn bn al el al- de da del della di do dos das du van von der den la le y "
    "abu ben ould"
)
_PLACEHOLDER = re.compile(
    r"(?i)^\W*(?:redacted|unknown|unkown|na$|n/a$|foreign (?:government )?official|"
    r"possibly\b|not (?:available|known))"
)


def _looks_like_name(text, *, words_needed=2):
    """A person's name: two or more capitalised words (name particles allowed), no word
    of an office or a body, not a country's name. A surname alone ("Vice Admiral
    Borsboom") is not enough to tell one person from another, so it does not count."""
    words = text.replace(".", ". ").split()
    if not words_needed <= len(words) <= 9:
        return False
    for word in words:
        bare = word.strip(".,'’()").lower()
        if not bare or bare in _NOT_NAME_WORDS or any(ch.isdigit() for ch in bare):
            return False
        if bare in _PARTICLES or bare.startswith(("al-", "el-", "bin-")):
            continue
        if not word[0].isupper():
            return False
    try:
        country_code(text)
    except UnknownCountry:
        return True
    return False


def _is_country(text):
    try:
        return bool(text) and bool(country_code(text))
    except UnknownCountry:
        return False


def clip(text, limit):
    text = text.strip(" ,;.-")
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-") + "…"


def _drop_page_junk(text):
    """A donor cell cut at a page heading keeps a fragment of the heading ("… of Qatar.
    resentatives es of Travel]"): drop what follows the last full stop when it is that."""
    text, heading = _cut_heading(text)
    if heading:
        head, _, tail = text.rpartition(". ")
        if head and (not tail[:1].isupper() or "]" in tail or len(tail.split()) <= 3):
            text = head + "."
    return text.strip()


_OFFICE_WORDS = {
    "president", "minister", "secretary", "director", "chairman", "ambassador", "governor",
    "mayor", "premier", "speaker", "chief", "commander", "attache", "attaché", "consul",
    "deputy", "head", "officer", "advisor", "adviser", "king", "queen", "prince", "princess",
    "emir", "amir", "sultan", "lady", "spouse", "wife", "employee", "member", "staff",
    "representative", "vice", "prime", "chancellor", "senator",
}  # fmt: skip
# Where an office follows a name without a comma: "Pervez Musharraf President of …".
_OFFICE_AFTER_NAME = re.compile(
    r"\s+(?=(?:Vice |Deputy |Acting |First )?(?:President|Prime Minister|Minister|Ambassador|"
    r"Secretary|Chairman|Governor|Mayor|Chief|Commander|Director|Head|Spouse|Wife)\b)"
)
_PARENTHESIS = re.compile(r"^\s*\([^)]*\)\s*")
_PARTS = re.compile(r"[,;]|\s--\s?|--|(?<=[a-z]{4})\.\s+(?=[A-Z])")


@functools.lru_cache(maxsize=16384)
def parse_person(text):
    """(name, title) from a register's text about a person: "His Excellency Petru
    Lucinschi, President of the Republic of Moldova" -> ("Petru Lucinschi", "President of
    the Republic of Moldova"). The name is "" when the text names a body or no one; the
    title is then the office the text gives, if any."""
    text = tidy(text)
    if not text or _PLACEHOLDER.match(text):
        return "", ""
    text = _SUFFIX.sub("", text)
    rest = text
    while True:  # "His Excellency Lt. General (Retired) …"
        match = _HONORIFIC.match(rest) or _RANK.match(rest) or _PARENTHESIS.match(rest)
        if not match or match.end() == 0:
            break
        rest = rest[match.end() :]
    # Parts: by commas, semicolons, dashes, and a full stop after a word ("… Waddaulah.
    # Sultan and Yang Di-Pertuan …"), never after an initial or an abbreviation.
    parts = [p.strip() for p in _PARTS.split(rest) if p.strip()]
    if not parts:
        return "", ""
    first, others = parts[0], [p for p in parts[1:] if not re.match(r"(?i)and\s", p)]
    # Joint donors: "Keizo Obuchi … and Mrs. Obuchi" names the first person.
    first = re.split(
        r"\s+(?:and|&)\s+(?=(?:Mrs|Mr|Ms|Madame|Her|His|Queen|Princess|the)\b)", first
    )[0]
    title_words = []
    office = _OFFICE_PREFIX.match(first)
    if office:
        title_words.append(office.group(1))
        first = first[office.end() :]
    royal = _ROYAL.match(first)
    if royal and len(first[royal.end() :].split()) >= 2:
        title_words.append(royal.group(0).strip())
        first = first[royal.end() :]
    split = _OFFICE_AFTER_NAME.search(first)
    if split and not others and not title_words:
        first, others = first[: split.start()], [first[split.end() :]]
    # "Abdullah II bin al Hussein of the Hashemite Kingdom of Jordan"
    of_state = re.search(
        r"\s+(of the (?:\w+ )*(?:Kingdom|Republic|State|Emirates|Sultanate)\b.*)$", first
    )
    if of_state:
        title_words.append(of_state.group(1))
        first = first[: of_state.start()]
    first = re.sub(r"\s*\([^)]*\)\s*$", "", first).strip(" .")
    title = ", ".join(others) if others else " ".join(title_words)
    title = re.sub(r"(?i)^the\s+", "", title)
    title = re.sub(r"\s+(?:and|&)\s+(?:Mrs|Mr|Ms|Madame)\.?\s.*$", "", title)
    if _is_country(title):  # "Chairman H. Karzai, Afghanistan": a place, not an office
        title = " ".join(title_words[:1])
    if _looks_like_name(first) and " and " not in first:
        return clip(first, NAME_LENGTH), clip(title, TITLE_LENGTH)
    # "Amir, Shaikh Isa Bin Salman Al-Khalifa, Bahrain": the office, then the name.
    if len(parts) >= 2 and parts[0].lower() in _OFFICE_WORDS:
        second = _ROYAL.sub("", _HONORIFIC.sub("", parts[1]), count=1)
        if _looks_like_name(second):
            rest_title = [p for p in parts[2:] if not _is_country(p)]
            return clip(second, NAME_LENGTH), clip(", ".join([parts[0], *rest_title]), TITLE_LENGTH)
    # "Rice, Condoleezza, Assistant to the President": surname, given names, office.
    if (
        len(parts) >= 3
        and re.fullmatch(r"[A-Z][\w'-]+", parts[0])
        and parts[0].lower() not in _NOT_NAME_WORDS
        and _looks_like_name(parts[1], words_needed=1)
        and len(parts[1].split()) <= 2
    ):
        return clip(f"{parts[1]} {parts[0]}", NAME_LENGTH), clip(", ".join(parts[2:]), TITLE_LENGTH)
    words = {w.strip(".,'()").lower() for w in re.split(r"[\s,]+", rest)}
    return "", clip(text, TITLE_LENGTH) if words & _OFFICE_WORDS else ""


# --- Scope -------------------------------------------------------------------------------------

OUT_OF_SCOPE_INTERNATIONAL = "out of scope: the donor is an international organisation, not a state"
OUT_OF_SCOPE_COMPANY = "out of scope: the donor is a company or business body"
OUT_OF_SCOPE_PRIVATE = "out of scope: the donor is a private person or business person"
OUT_OF_SCOPE_SAME_STATE = (
    "out of scope: the donor is a body of the United States, the recipient's state"
)

# The scope patterns are matched on lower-cased text (much faster than IGNORECASE).
_INTERNATIONAL = re.compile(
    r"\bUnited Nations\b|\bUN(?:ESCO|EP|DP|ICEF|FCCC|IDO|AIDS)\b|\bWorld Food Programme\b|"
    r"\bWorld (?:Health|Heath|Trade|Meteorological|Tourism|Intellectual Property|Customs) "
    r"Organi[sz]ation\b|\bWorld Bank\b|\b(?:Asian|African|Inter-?\s?American|Islamic|"
    r"Caribbean) Development Bank\b|\bBank for International Settlements\b|"
    r"\bInternational (?:Atomic Energy Agency|Monetary Fund|Agency for (?:the )?Research on "
    r"Cancer|Telecommunications? Union|Energy Agency|Civil Aviation Organi[sz]ation|Maritime "
    r"Organi[sz]ation|Labou?r Organi[sz]ation|Organi[sz]ation for Migration|Program(?:me)? "
    r"(?:on|for) Chemical Safety|Hydrological Program)|\bIARC\b|\bIAEA\b|"
    r"\bFood and Agriculture Organi[sz]ation\b|\bOrgani[sz]ation (?:for|of) Economic "
    r"Co-?\s?operation\b|\bOECD\b|\bOrgani[sz]ation for Security and Co-?\s?operation\b|"
    r"\bOSCE\b|\bOrgani[sz]ation of (?:American States|the Islamic Conference|Islamic "
    r"Cooperation|the Petroleum)|\bOPEC\b|\bNorth Atlantic Treaty Organi[sz]ation\b|\bNATO\b|"
    r"\bAllied Joint Force Command\b|\bEuropean (?:Union|Commission|Communities|Parliament|"
    r"Central Bank|Environment(?:al)? Agency|Food Safety Authority|Space Agency|Investment "
    r"Bank|Cent(?:er|re) for Environment)|\bEU Visitors Program|\bEuropol\b|\bINTERPOL\b|"
    r"\bAfrican Union\b|\bASEAN\b|\bAssociation for South ?East Asian Nations\b|"
    r"\bAsia-?\s?Pacific Economic Cooperation\b|\bAPEC\b|\bGulf Cooperation Council\b|"
    r"\bArab League\b|\bLeague of Arab States\b|\bCommonwealth Secretariat\b|"
    r"\bMultinational Force and Observers\b|\bNorth Pacific Marine Science Organi[sz]ation\b|"
    r"\bTurksoy\b|\bInter-American Committee against Terrorism\b|"
    r"\bJoint Research Cent(?:er|re)\b".lower()
)
# A state's envoy to an international body is still the state's.
_ENVOY_TO = re.compile(
    r"\b(?:ambassador|permanent representative|representative|delegate)\b[^.;]*?\bto\b"
    r"|\bmission\b"
)
_COMPANY = re.compile(
    r"\b(?:inc|ltd|limited|llc|plc|gmbh|co\.|company|corporation|holdings?|trading|"
    r"airlines|airways|chamber of commerce|"
    r"aramco|lukoil|gazprom|naftogaz|basf|hutchison whampoa)(?![a-z])"
    r"|(?<!parliamentary )(?<!interparliamentary )(?<!naval )(?<!carrier )(?<!strike )"
    r"(?<!working )(?<!task )\bgroup\b(?! of)"
)
# A company named beside a state office or owner is the state's business.
_STATE_SIDE = re.compile(
    r"\b(?:government|govt|ministry|minister|mayor|governor|ambassador|embassy|"
    r"owned and controlled by|state-owned|publicly owned|(?:company|corporation) of the)\b"
)
_PRIVATE = re.compile(
    r"\bprivate (?:individual|citizen|person)\b|\bbusiness(?:man|woman| community)\b"
)


@functools.lru_cache(maxsize=16384)
def out_of_scope(donor):
    """The reason a donor is out of the registry's scope, or None."""
    donor = donor.lower()
    if (
        _INTERNATIONAL.search(donor)
        and not _ENVOY_TO.search(donor)
        and not _STATE_SIDE.search(donor)
        and not re.search(r"\b(?:senator|interparliamentary)\b", donor)
    ):
        return OUT_OF_SCOPE_INTERNATIONAL
    if _PRIVATE.search(donor):
        return OUT_OF_SCOPE_PRIVATE
    if _COMPANY.search(donor) and not _STATE_SIDE.search(donor):
        return OUT_OF_SCOPE_COMPANY
    return None


# Country values someone derived from a word of the donor's title: trusted only when the
# donor text names the country. ("Field Marshall" gave Marshall Islands, "Mariana
# Vardinoyannis" Northern Mariana Islands, "Ambassador … to the United States" the US.)
_COUNTRY_CHECKS = {
    "MH": re.compile(r"(?i)\bMarshall Islands\b"),
    "MP": re.compile(r"(?i)\bMariana Islands\b"),
    "TC": re.compile(r"(?i)\bTurks (?:and|&) Caicos\b"),
    "VC": re.compile(r"(?i)\b(?:Saint|St\.?) Vincent\b"),
    "US": re.compile(r"(?i)^(?!.*\bto the United States\b).*\b(?:United States|U\.S\.)"),
}


# --- The adapter -------------------------------------------------------------------------------


# The date or amount some notices put after the item's name: "Rug, 7/30/2003, $300.00".
_TRAILING_DETAIL = re.compile(
    r",\s*(?:\$\s*\d|\d{1,2}/\s*\d{1,2}/|" + _M + r"\s*\d{1,2},?\s*\d{4}).*$",
    re.IGNORECASE,
)


_ENUMERATOR = re.compile(r"^\(?\d{1,2}[.)]\s+")
_ENUMERATOR_ALONE = re.compile(r"\(?\d{1,2}\)?")
# A sentence that only names another object ("Ballpoint pen.", "Cerruti 1881 wallet."),
# not one that goes on describing the first ("Accompanying documentation cites …").
_CONTINUATION_WORDS = _words(
    "accompanying accompanied the it its this these they each both includes including with "
    "signed made presented engraved inscribed features featuring depicts all comes item items "
    "gift gifts value est rec'd recd received disposition location overall"
)
_VERB = re.compile(
    r"(?i)\b(?:is|are|was|were|has|have|had|cites|reads|depicts|shows|contains|incorporates|"
    r"features|bears|displays|consists|consisting)\b"
)


_DISPOSITION_START = re.compile(
    r"(?i)^(?:transferred|transfer|pending|deposited|retained|archives|national archives|"
    r"to be|reported|handled|returned|destroyed|donated|forwarded|turned|gsa|nara|"
    r"purchased|on display|displayed)\b"
)


def _names_an_object(sentence):
    first = sentence.split(" ", 1)[0].lower().strip("“\"'(")
    return (
        len(sentence) <= 100
        and first not in _CONTINUATION_WORDS
        and not _VERB.search(sentence)
        and "$" not in sentence
        and not _DISPOSITION_START.match(sentence)
    )


class _Part:
    """One entry of a packed description, with the offsets of its pieces."""

    def __init__(self, start):
        self.start = start
        self.end = start
        self.head = ""
        self.marker_end = None
        self.values = []  # (amount, note, end) for each value label
        self.late_head = ""  # the item's name when the register puts it after the date
        self.disposition = ""


class UsFederalRegisterAdapter(Adapter):
    name = "us-federal-register"
    columns = (
        "id",
        "recipient",
        "agency_name",
        "year_received",
        "date_received",
        "donor",
        "donor_country",
        "gift_description",
        "value_usd",
        "justification",
    )
    id_column = "id"
    # The recipient's office is its title. Most recipients are officials and staff of
    # every rank ("An Agency Employee", "Electronics Engineer"); naming each as a leader
    # would add thousands. True names them too when the text names a person
    # ("The Honorable Barack Obama, President of the United States" -> "Barack Obama").
    name_recipients = False

    def entries(self, row, line):
        row_id = row["id"].strip()
        if not row_id.isdigit():
            raise RowError("id", row["id"], "the register's row id is not a number")
        year_text = row["year_received"].strip()
        if not re.fullmatch(r"(?:19|20)\d{2}", year_text):
            raise RowError("year_received", row["year_received"], "the notice year is not a year")
        notice_year = int(year_text)

        raw_description = row["gift_description"].strip()
        if raw_description.upper() in ("", "NA"):
            raise RowError("gift_description", raw_description, "the row describes no gift")
        description, heading = _cut_heading(tidy(raw_description))
        description = description.strip()
        if RECEIVED.search(heading):
            raise RowError(
                "gift_description",
                raw_description[:80],
                "the cell runs a printed page's gifts together under the table's headings "
                "(several donors in one row): split it into one row per donor",
            )
        if not description:
            raise RowError("gift_description", raw_description[:80], "the row describes no gift")

        donor_raw = row["donor"].strip()
        donor = _drop_page_junk(tidy(donor_raw)) if donor_raw.upper() != "NA" else ""
        reason = out_of_scope(donor)
        if reason:
            raise Skip(reason)
        country, country_note = self._giver_country(row["donor_country"].strip(), donor)
        not_stated = False
        if not country:
            found = country_in_text(donor) if donor and not WITHHELD.search(donor) else ""
            if found and found != "US":
                country = found
                country_note = (country_note + " " if country_note else "") + (
                    "The country is the one the donor's title names."
                )
            else:
                # "NA", or a country someone derived from a word of the title: the
                # register does not state the donor's country.
                not_stated = True
        giver_name, giver_title = parse_person(donor)
        giver = Party(name=giver_name, country=country, title=giver_title, as_reported=donor_raw)
        recipient = self._recipient(row)
        source = self._source(row, notice_year)

        parts = self._split(description)
        gifts = []
        for number, part in enumerate(parts, start=1):
            gifts.append(
                self._entry(
                    part, description, row, notice_year, len(parts), giver, recipient, source
                )
            )
            gifts[-1].import_key = f"{self.name}:{row_id}:{number}"
            gifts[-1].giver_not_stated = not_stated
            if country_note:
                gifts[-1].notes = " ".join(filter(None, [country_note, gifts[-1].notes]))
        return gifts

    @staticmethod
    def _source(row, notice_year):
        """The notice itself where the row's text gives its document number (the last
        row of a notice carries it), else a search of the year's notices."""
        found = _FR_DOC.search(row["gift_description"]) or _FR_DOC.search(row["recipient"])
        if found:
            return SourceSpec(
                url=NOTICE_URL.format(number=found.group(1)),
                title=f"{REGISTER_TITLE} ({notice_year} notice, FR Doc. {found.group(1)})",
                publisher=PUBLISHER,
                kind="the notice itself",
            )
        return SourceSpec(
            url=SEARCH_URL.format(year=notice_year),
            title=f"{REGISTER_TITLE} ({notice_year} notice), Federal Register",
            publisher=PUBLISHER,
            kind="a search of the year's notices on federalregister.gov (the row names no notice)",
        )

    # The sides ---------------------------------------------------------------------------

    def _giver_country(self, name, donor):
        try:
            code = country_code(name)
        except UnknownCountry as exc:
            raise RowError(
                "donor_country",
                name,
                f"{exc}: add it to the alias table (giftapp/importers/country_aliases.csv)",
            ) from None
        check = _COUNTRY_CHECKS.get(code)
        if check and not check.search(donor):
            return "", (
                f"The register's donor country, {name}, was not used: the donor's text does "
                "not name it (it comes from a word of the donor's title)."
            )
        if code == "US":
            raise Skip(OUT_OF_SCOPE_SAME_STATE)
        return code, ""

    def _recipient(self, row):
        text = row["recipient"].strip()
        agency = row["agency_name"].strip()
        agency = "" if agency.upper() == "NA" else agency
        # The notice's last row carries its document line: "… [FR Doc. 00-6858 Filed …".
        office = _drop_page_junk(tidy(_FR_DOC_LINE.sub("", text)))
        name, title = parse_person(office) if self.name_recipients else ("", "")
        if not name:
            title = clip(office, TITLE_LENGTH)
        as_reported = "; ".join(filter(None, [_FR_DOC_LINE.sub("", text), agency]))
        return Party(name=name, country="US", title=title, as_reported=as_reported)

    # The description -------------------------------------------------------------------------

    def _split(self, text):
        """The entries of a packed description, one per received marker (or one)."""
        markers = list(RECEIVED.finditer(text))
        if not markers:
            part = _Part(0)
            part.end = len(text)
            part.head = text
            labels = list(VALUE.finditer(text))
            if labels:
                part.head = text[: labels[0].start()]
                part.values = [read_value(text, label.end()) for label in labels]
                part.disposition = text[_after_punctuation(text, part.values[-1][2]) :].strip()
            else:
                # "Rug, 7/30/2003, $300.00. Transferred to GSA.": a bare amount.
                amount = _DOLLARS.search(text)
                if amount:
                    part.values = [read_value(text, amount.start())]
                    part.disposition = text[_after_punctuation(text, part.values[0][2]) :].strip()
            return [part]
        parts, start = [], 0
        for index, marker in enumerate(markers):
            last = index == len(markers) - 1
            stop = len(text) if last else markers[index + 1].start()
            part = _Part(start)
            part.head = text[start : marker.start()]
            part.marker_end = marker.end()
            segment_end = self._read_tail(part, text, marker.end(), stop, last)
            part.end = segment_end
            parts.append(part)
            start = segment_end
        return parts

    def _read_tail(self, part, text, begin, stop, last):
        """Read the date, value and disposition after a marker; return where the next
        entry's text begins."""
        label = VALUE.search(text, begin, stop)
        after_date = min(_sentence_end(text, begin), stop)
        if label:
            # "Recd.--April 9, 2003. Six Crystal Glasses. Est. Value--Over $100."
            part.late_head = text[after_date : label.start()] if after_date < label.start() else ""
            part.values = [read_value(text[:stop], label.end())]
            cursor = _after_punctuation(text, part.values[0][2], stop)
            total = _TOTAL_AFTER.match(text, cursor, stop)
            if total:
                part.values = [read_value(text[:stop], total.end())]
                cursor = _after_punctuation(text, part.values[0][2], stop)
        else:
            part.values = [
                read_value(part.head, label.end()) for label in VALUE.finditer(part.head)
            ]
            cursor = after_date
        if last:
            part.disposition = text[cursor:stop].strip()
            return stop
        rest = text[cursor:stop]
        end = self._disposition_end(rest)
        part.disposition = rest[:end].strip()
        return cursor + end

    def _disposition_end(self, rest):
        """How much of `rest` (the text between an entry's value and the next marker) is
        the entry's disposition; the remainder is the next entry's name."""
        label = _LABEL.match(rest)
        body_start = label.end() if label else 0
        closed = _CLOSED.match(rest[body_start:])
        if closed:
            end = body_start + closed.end()
            if rest[end : end + 1] in (",", ";", "/"):
                end = _sentence_end(rest, end)
        else:
            end = _sentence_end(rest, body_start)
            if not label and classify_disposition(rest[:end]) is None:
                return 0
        while end < len(rest) and _CONTINUATION.match(rest[end:]):
            following = _sentence_end(rest, end)
            if classify_disposition(rest[end:following]) is None:
                break
            end = following
        return end

    def _entry(self, part, text, row, notice_year, count, giver, recipient, source):
        entry_text = text[part.start : part.end].strip()
        head = part.head.strip(" .;,") or part.late_head.strip(" .;,")
        if not head and part.disposition and classify_disposition(part.disposition) is None:
            # "Recd--April 2, 1999. Est. Value--$not submitted. Air transportation from …"
            head, part.disposition = part.disposition.strip(" .;,"), ""
        if part.marker_end is not None:
            received, precision, period = parse_received(text[part.marker_end :], notice_year)
        else:
            received, precision, period = parse_received(entry_text, notice_year, anchored=False)
        if precision == "unknown" and count == 1:
            received, precision = self._column_date(row["date_received"], notice_year)
        value, value_note = self._value(part.values)
        item = self._item(head)
        category = infer_category(head or entry_text, part.disposition)
        # Only what the register says: travel is not assumed used up.
        disposition = classify_disposition(part.disposition) or "unknown"
        notes = []
        if period:
            notes.append(f"Received {period}; the date given is the first day.")
        if part.disposition:
            said = _LABEL.sub("", part.disposition).strip(" .;")
            notes.append(f"Disposition in the register: {said}.")
        if not item:
            item = "Travel expenses" if category == "travel" else "Gift (not described)"
        return Entry(
            item=item,
            giver=dataclasses.replace(giver),
            recipient=dataclasses.replace(recipient),
            description=entry_text,
            category=category,
            date=received,
            date_precision=precision,
            value=value,
            currency="USD" if value is not None else "",
            value_usd=value,
            value_note=clip(value_note, VALUE_NOTE_LENGTH),
            disposition=disposition,
            notes=" ".join(notes),
            sources=[source],
        )

    @staticmethod
    def _value(values):
        """One value for the entry from the values its text gives (usually one)."""
        if not values:
            return None, ""
        if len(values) == 1:
            return values[0][0], values[0][1]
        if all(amount is not None for amount, _note, _end in values):
            listed = " + ".join(f"${amount:,}" for amount, _note, _end in values)
            return sum(a for a, _n, _e in values), f"the sum of the values listed ({listed})"
        return None, "; ".join(note for _a, note, _e in values if note)

    @staticmethod
    def _column_date(text, notice_year):
        """The data set's own `date_received` (ISO), used when the text gives none."""
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
        if match:
            found = _make_date("iso", match.groups(), notice_year)
            if found:
                return found, "day"
        return None, "unknown"

    @staticmethod
    def _objects(head):
        """The objects an entry names: its first sentence, without the date or amount some
        notices append ("Rug, 7/30/2003, $300.00"), and the next sentences when they only
        name more objects ("Ruby necklace. Coffee table book …")."""
        head = _ENUMERATOR.sub("", head.strip())  # "1. Book: …; 2. Inlaid box …"
        end = _sentence_end(head)
        names = [_TRAILING_DETAIL.sub("", head[:end].strip(" .;,:"))]
        while end < len(head):
            following = _sentence_end(head, end)
            sentence = head[end:following].strip(" .;,:")
            end = following
            if _ENUMERATOR_ALONE.fullmatch(sentence):
                continue  # "; 2. Inlaid box": the number of the next object
            if sentence and _names_an_object(sentence):
                names.append(_TRAILING_DETAIL.sub("", _ENUMERATOR.sub("", sentence)))
            elif sentence:
                break
        return [name for name in names if name]

    @staticmethod
    def _item(head):
        """The gift's title, written from the objects its entry names."""
        return gift_title(UsFederalRegisterAdapter._objects(head))
