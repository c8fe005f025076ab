"""A synthetic registry of N gifts, for benchmarks and the load test:

    uv run python bench/generate.py --gifts N [--seed S] [--batch B] [--append]

It fills the database at DATABASE_URL (or the local SQLite file). It ships with the
benchmarks, not with the app.

Realistic in shape, not in content: a few countries give and receive most gifts; leaders
serve terms and carry names in several scripts; most gifts belong to visits and go both
ways; dates are approximate or unknown now and then; values come in several currencies;
a small share of gifts is flagged under a sanctions regime. The same seed gives the same
registry.

Two shapes (--shape), so that bulk work is measured on more than one kind of registry:
- "bench" (the default): a few thousand sources shared by all gifts, about one visit per
  eight gifts, and one gift in eight sent outside any visit;
- "sourced": a registry transcribed from many documents: about 0.6 sources per gift (most
  gifts cite a source of their own), about one visit per 5.6 gifts, and one gift in fifty
  outside any visit. At 1,000,000 gifts: about 600,000 sources and 178,000 visits.

Rows are written straight to the tables (COPY on PostgreSQL, batched INSERTs on SQLite):
saving a million gifts one by one would take hours. So no history rows are written, and
the derived columns are filled here exactly as the models' save() fills them.
"""

import bisect
import contextlib
import dataclasses
import datetime
import functools
import gc
import json
import math
import operator
import queue
import random
import sys
import threading
import time
from itertools import accumulate

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify
from tqdm import tqdm

from giftapp.backends import backend
from giftapp.cache import bump_public_version
from giftapp.codes import COUNTRY_CODES
from giftapp.codes import country_name as _country_name
from giftapp.counts import facets
from giftapp.importers.bulk import set_aside
from giftapp.models import (
    Category,
    DatePrecision,
    Disposition,
    FlagStatus,
    Gift,
    Leader,
    PublicationStatus,
    SanctionsFlag,
    SanctionsRegime,
    Source,
    Visit,
    VisitKind,
)
from giftapp.text import fold

UTC = datetime.UTC


def codes(text):
    """'US CN RU' -> ['US', 'CN', 'RU']."""
    return text.split()


FIRST_YEAR, LAST_YEAR = 1975, 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
# Records were entered into the registry over these years.
ENTRY_START = datetime.datetime(2019, 1, 1, tzinfo=UTC)
ENTRY_END = datetime.datetime(2026, 1, 31, tzinfo=UTC)

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
RETRACTED = PublicationStatus.RETRACTED

# Countries · states ranked by how often they give and receive gifts; the rest share a long
# tail. Weight of rank r: 1 / (r + 2) ** 1.15.
TOP_COUNTRIES = codes(
    "US CN RU FR GB DE JP IN SA KP KR TR IT BR AE IR CA AU ES EG QA ID MX PK IL KZ VN TH UA "
    "NG ZA PL NL BY SY IQ JO CU VE MA AR KW SG MY ET AZ RS HU"
)
# Codes that are not states a leader could speak for: territories and uninhabited places.
NOT_STATES = set(
    codes(
        "AQ BV HM TF UM IO GS PN TK NF CX CC SJ AX EH AS GU MP PR VI AI BM VG KY MS TC SH GP MQ "
        "GF RE YT PM BL MF NC PF WF AW CW SX BQ FO GL HK MO IM JE GG NU CK"
    )
)
# Historical states (docs/design.md) and states that did not yet exist: code -> (from, to) years,
# and which codes they stand in for before that.
EXISTED = {
    "SU": (FIRST_YEAR, 1991),
    "DD": (FIRST_YEAR, 1990),
    "YU": (FIRST_YEAR, 2002),
    "CS": (FIRST_YEAR, 1992),
    "XS": (2003, 2005),
    "XK": (2008, LAST_YEAR),
    "SS": (2011, LAST_YEAR),
    "ER": (1993, LAST_YEAR),
    "TL": (2002, LAST_YEAR),
}
SUCCESSORS = {
    "SU": codes("RU UA BY KZ UZ GE AZ LT LV EE MD KG TJ TM AM"),
    "YU": codes("SI HR BA MK RS ME"),
    "CS": codes("CZ SK"),
    "XS": codes("RS ME"),
}
# A successor exists from the year after its predecessor ends (RS and ME: from 2006).
SUCCESSOR_FROM = {"SI": 1992, "HR": 1992, "BA": 1992, "MK": 1992, "RS": 2006, "ME": 2006}

SCRIPTS = ("cyrillic", "hangul", "arabic", "chinese")
NATIVE_SCRIPT = {
    **dict.fromkeys(codes("KP KR"), "hangul"),
    **dict.fromkeys(codes("RU SU BY UA KZ KG TJ BG RS MK MN YU XS ME"), "cyrillic"),
    **dict.fromkeys(
        codes("SA AE QA KW BH OM YE IQ SY JO LB EG LY TN DZ MA SD PS MR IR AF"), "arabic"
    ),
    **dict.fromkeys(codes("CN TW JP"), "chinese"),
}
# Accents for a leader's native name in Latin script (all fold back to plain letters).
ACCENTS = {
    **dict.fromkeys(codes("TR AZ"), {"s": "ş", "g": "ğ", "c": "ç", "u": "ü"}),
    **dict.fromkeys(codes("CZ SK CS"), {"s": "š", "z": "ž", "r": "ř", "e": "é"}),
    **dict.fromkeys(codes("PL"), {"s": "ś", "z": "ż", "n": "ń", "o": "ó"}),
    **dict.fromkeys(codes("DE DD AT CH"), {"a": "ä", "o": "ö", "u": "ü"}),
    **dict.fromkeys(codes("FR BE"), {"e": "é", "i": "ï"}),
    **dict.fromkeys(codes("ES MX AR CO CL PE VE CU"), {"n": "ñ", "a": "á", "o": "ó"}),
    **dict.fromkeys(codes("PT BR"), {"a": "ã", "o": "ô"}),
    **dict.fromkeys(codes("VN"), {"a": "ă", "o": "ơ", "u": "ư", "e": "ê"}),
    **dict.fromkeys(codes("HU"), {"o": "ő", "u": "ű", "a": "á"}),
    **dict.fromkeys(codes("RO"), {"s": "ș", "t": "ț", "a": "â"}),
    **dict.fromkeys(codes("HR SI BA"), {"c": "č", "s": "š", "z": "ž"}),
}
HEAD_OF_STATE = {
    **dict.fromkeys(codes("SA JO MA GB ES TH NL BE SE NO DK BT"), "King"),
    **dict.fromkeys(codes("QA KW"), "Emir"),
    **dict.fromkeys(codes("OM BN"), "Sultan"),
    "JP": "Emperor",
    "KP": "Chairman of the State Affairs Commission",
    "SU": "General Secretary",
    "DD": "Chairman of the State Council",
}
OFFICES = (
    "Prime Minister",
    "Minister of Foreign Affairs",
    "Minister of Defence",
    "Vice President",
    "Speaker of Parliament",
    "Minister of Trade",
    "Ambassador to the United Nations",
    "Minister of Culture",
)

# Names · syllables, and how each script writes them.
CONSONANTS = ("", "b", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z")
CONSONANTS += ("sh", "ch", "kh")
VOWELS = ("a", "e", "i", "o", "u")
CYRILLIC = dict(
    zip(
        CONSONANTS + VOWELS,
        ("", "б", "д", "г", "х", "дж", "к", "л", "м", "н", "п", "р", "с", "т", "в", "з")
        + ("ш", "ч", "х", "а", "е", "и", "о", "у"),
        strict=True,
    )
)
ARABIC = dict(
    zip(
        CONSONANTS + VOWELS,
        ("", "ب", "د", "غ", "ه", "ج", "ك", "ل", "م", "ن", "ب", "ر", "س", "ت", "ف", "ز")
        + ("ش", "تش", "خ", "ا", "ي", "ي", "و", "و"),
        strict=True,
    )
)
# Hangul initial consonant (choseong) and vowel (jungseong) indexes.
HANGUL_INITIAL = dict(
    zip(CONSONANTS, (11, 7, 3, 0, 18, 12, 15, 5, 6, 2, 17, 5, 9, 16, 7, 12, 9, 14, 15), strict=True)
)
HANGUL_VOWEL = {"a": 0, "e": 5, "i": 20, "o": 8, "u": 13}
# One character per consonant, per vowel, in the manner of Chinese transliterations.
CHINESE = {
    "a": "阿巴达加哈贾卡拉马纳帕拉萨塔瓦扎沙查喀",
    "e": "埃贝德格赫杰凯莱梅内佩雷塞泰韦泽舍切赫",
    "i": "伊比迪吉希吉基利米尼皮里西蒂维齐希奇基",
    "o": "奥博多戈霍乔科洛莫诺波罗索托沃佐绍乔霍",
    "u": "乌布杜古胡朱库卢穆努普鲁苏图武祖舒丘胡",
}
LATIN_VARIANTS = (
    ("sh", "sch"),
    ("ch", "tch"),
    ("kh", "h"),
    ("j", "dzh"),
    ("u", "ou"),
    ("v", "w"),
)

# Gifts · what, worth how much, where it went.
CATEGORY_WEIGHTS = {
    Category.ARTWORK: 14,
    Category.TABLEWARE: 10,
    Category.JEWELRY: 6,
    Category.BOOK: 10,
    Category.TEXTILE: 9,
    Category.WEAPON: 4,
    Category.VEHICLE: 1,
    Category.ANIMAL: 1,
    Category.FOOD_DRINK: 12,
    Category.DECORATION: 14,
    Category.ELECTRONICS: 5,
    Category.TRAVEL: 3,
    Category.OTHER: 11,
}
ITEMS = {
    Category.ARTWORK: "oil painting of the presidential palace|portrait of the recipient|bronze "
    "bust|marble sculpture|watercolour landscape|lacquer panel|ink scroll painting|mosaic of the "
    "national emblem|engraving of the old city|carved wooden figurine|enamel plaque|tapestry of "
    "a mountain scene|ceramic relief|silk embroidery picture|photograph album of the visit",
    Category.TABLEWARE: "porcelain vase|tea set|silver tray|crystal bowl|coffee set|dinner "
    "service|lacquered box|silver goblet|ceramic jug|set of crystal glasses|samovar|porcelain "
    "plate with the state emblem",
    Category.JEWELRY: "gold watch|pearl necklace|diamond brooch|silver cufflinks|gold "
    "bracelet|sapphire ring|ruby earrings|amber pendant|jade bangle|emerald necklace",
    Category.BOOK: "leather-bound book of poems|history of the two nations|facsimile of a "
    "historic treaty|atlas|book of photographs|first edition novel|illuminated manuscript "
    "facsimile|collected speeches|cookbook of the national cuisine|biography of the founder",
    Category.TEXTILE: "silk carpet|wool rug|embroidered shawl|silk scarf|cashmere "
    "scarf|traditional robe|hand-woven blanket|necktie|felt hat|embroidered tablecloth",
    Category.WEAPON: "ceremonial dagger|hunting rifle|sabre|pistol in a presentation "
    "case|sword|antique musket|bow and arrows|shotgun",
    Category.VEHICLE: "limousine|motorcycle|sports car|electric car|bicycle|all-terrain "
    "vehicle|horse-drawn carriage",
    Category.ANIMAL: "pair of hunting dogs|horse|falcon|pair of pandas on loan|dog|camel|pair "
    "of cranes|reindeer",
    Category.FOOD_DRINK: "case of wine|bottle of brandy|box of dates|caviar|tea|honey|hamper "
    "of regional produce|chocolates|box of cigars|bottle of whisky|coffee beans|saffron|olive "
    "oil|ginseng",
    Category.DECORATION: "order of merit|medal of friendship|state decoration|commemorative "
    "coin set|key to the city|plaque|honorary citizenship certificate|stamp album|silver "
    "medal|star of the order",
    Category.ELECTRONICS: "laptop|smartphone|tablet computer|camera|radio set|television|"
    "satellite phone|headphones",
    Category.TRAVEL: "sponsored trip|hotel stay|flight tickets|guided tour|holiday "
    "package|hunting trip",
    Category.OTHER: "globe|model of a ship|model aircraft|football shirt|chess set|"
    "clock|fountain pen|perfume|desk set|telescope|model of a satellite|music box",
}
ITEM_PREFIXES = ("",) * 6 + (
    "antique ",
    "hand-made ",
    "commemorative ",
    "traditional ",
    "engraved ",
    "gilded ",
    "miniature ",
    "silver ",
)
# Median value in US dollars by category (values are log-normal around it).
MEDIAN_USD = {
    Category.ARTWORK: 2000,
    Category.TABLEWARE: 800,
    Category.JEWELRY: 5000,
    Category.BOOK: 80,
    Category.TEXTILE: 300,
    Category.WEAPON: 3000,
    Category.VEHICLE: 150000,
    Category.ANIMAL: 5000,
    Category.FOOD_DRINK: 120,
    Category.DECORATION: 600,
    Category.ELECTRONICS: 900,
    Category.TRAVEL: 12000,
    Category.OTHER: 400,
}
EURO = codes("AT BE CY DE EE ES FI FR GR IE IT LT LU LV MT NL PT SI SK HR")
LEGACY = {"FR": "FRF", "DE": "DEM", "IT": "ITL", "ES": "ESP", "NL": "NLG", "BE": "BEF"}
CURRENCIES = {
    "US": "USD",
    "GB": "GBP",
    "JP": "JPY",
    "CA": "CAD",
    "AU": "AUD",
    "IN": "INR",
    "RU": "RUB",
    "SU": "SUR",
    "DD": "DDM",
    "YU": "YUN",
    "KR": "KRW",
    "CN": "CNY",
    "CH": "CHF",
    "SA": "SAR",
    "AE": "AED",
    "BR": "BRL",
    "MX": "MXN",
}
# US dollars per unit, roughly.
USD_RATE = {
    "USD": 1,
    "GBP": 1.3,
    "EUR": 1.1,
    "JPY": 0.008,
    "CAD": 0.75,
    "AUD": 0.7,
    "INR": 0.013,
    "RUB": 0.015,
    "SUR": 1.4,
    "DDM": 0.3,
    "YUN": 0.05,
    "KRW": 0.0008,
    "CNY": 0.14,
    "CHF": 1.1,
    "SAR": 0.27,
    "AED": 0.27,
    "BRL": 0.2,
    "MXN": 0.06,
    "FRF": 0.17,
    "DEM": 0.55,
    "ITL": 0.0006,
    "ESP": 0.0066,
    "NLG": 0.5,
    "BEF": 0.027,
}
VALUE_NOTES = (
    "estimated by the recipient's protocol office",
    "appraised value",
    "retail value",
    "value stated by the giver",
    "above the reporting limit",
    "converted at the rate of the day",
)
DISPOSITION_WEIGHTS = {
    Disposition.RETAINED: 20,
    Disposition.STATE_COLLECTION: 20,
    Disposition.ARCHIVES: 12,
    Disposition.MUSEUM: 8,
    Disposition.RETURNED: 3,
    Disposition.PURCHASED: 4,
    Disposition.DONATED: 3,
    Disposition.CONSUMED: 8,
    Disposition.DESTROYED: 1,
    Disposition.UNKNOWN: 21,
}
OCCASIONS = (
    "Presented at the official dinner.",
    "Handed over during the talks.",
    "Delivered after the visit by the embassy.",
    "Given at the welcome ceremony.",
    "Exchanged at the end of the meeting.",
    "Presented in a private audience.",
    "Sent by diplomatic post.",
)
DETAILS = (
    "Made by a national artisan workshop.",
    "The register lists it without further detail.",
    "Kept in the official residence.",
    "Its maker is not named in the sources.",
    "A replica of a museum piece.",
    "Engraved with a dedication to the recipient.",
    "Described in the register as a personal gift.",
    "Part of a set given to the delegation.",
)
GIFT_NOTES = (
    "The register corrected the value in a later edition.",
    "Reported twice in the register; counted once here.",
    "The giver's office is given as at the time of the gift.",
    "The date is the date of the register entry.",
)
RETRACTION_REASONS = (
    "The register entry was withdrawn by the reporting office.",
    "Duplicate of another record.",
    "The source was found to describe a different gift.",
    "The gift was never delivered, according to a later correction.",
)
REPORTED_AS = ("Government of {}", "Embassy of {}", "Delegation of {}", "People of {}")
# A gift known to belong to a visit has at least the visit's year; the dates of gifts sent
# outside visits are vaguer. Overall: about 85 % to the day, 2 % unknown.
VISIT_PRECISION_WEIGHTS = {
    DatePrecision.DAY: 87,
    DatePrecision.MONTH: 8,
    DatePrecision.YEAR: 5,
}
PRECISION_WEIGHTS = {
    DatePrecision.DAY: 70,
    DatePrecision.MONTH: 8,
    DatePrecision.YEAR: 6,
    DatePrecision.UNKNOWN: 16,
}
GIFT_STATUS_WEIGHTS = {PUBLISHED: 88, DRAFT: 6, IN_REVIEW: 5, RETRACTED: 1}
VISIT_STATUS_WEIGHTS = {PUBLISHED: 90, DRAFT: 5, IN_REVIEW: 4, RETRACTED: 1}

# Visits.
VISIT_KIND_WEIGHTS = {
    VisitKind.STATE_VISIT: 25,
    VisitKind.OFFICIAL_VISIT: 30,
    VisitKind.WORKING_VISIT: 25,
    VisitKind.SUMMIT: 10,
    VisitKind.MULTILATERAL: 5,
    VisitKind.OTHER: 5,
}
KIND_TITLES = {
    VisitKind.STATE_VISIT: "State visit of {visitor} to {host}",
    VisitKind.OFFICIAL_VISIT: "Official visit of {visitor} to {host}",
    VisitKind.WORKING_VISIT: "Working visit of {visitor} to {host}",
    VisitKind.SUMMIT: "Summit of {visitor_country} and {host} in {city}",
    VisitKind.MULTILATERAL: "{conference} in {city}",
    VisitKind.OTHER: "Visit of {visitor} to {host}",
}
CONFERENCES = (
    "Regional Security Conference",
    "Economic Cooperation Forum",
    "Summit of Heads of State",
    "Conference on Climate and Energy",
    "Forum of Friendly Nations",
)
VENUES = (
    "Presidential Palace",
    "State Guest House",
    "Ministry of Foreign Affairs",
    "Parliament",
    "Convention Centre",
    "Royal Palace",
    "",
    "",
)
SUMMARIES = (
    "Talks on trade, energy and security, with an exchange of gifts at the state dinner.",
    "A short working visit; gifts were exchanged at the end of the talks.",
    "The first visit at this level in a decade.",
    "Agreements on culture and education were signed.",
)

# Sources.
PUBLISHERS = (
    ("The Daily Courier", "dailycourier.example"),
    ("World Wire Service", "worldwire.example"),
    ("Capital Gazette", "capitalgazette.example"),
    ("Official Register of Gifts", "gifts-register.example"),
    ("Ministry of Foreign Affairs", "mfa.example"),
    ("State News Agency", "statenews.example"),
    ("The Evening Standard-Bearer", "standardbearer.example"),
    ("Diplomatic Review", "diplomaticreview.example"),
    ("Presidential Press Office", "press-office.example"),
    ("Eastern Herald", "easternherald.example"),
)
HEADLINES = (
    "Leaders exchange gifts at talks",
    "State visit ends with signed agreements",
    "Register of gifts received, annual edition",
    "Delegation arrives for summit",
    "Gifts presented at state dinner",
    "Annual disclosure of gifts to officials",
    "Summit closes with joint statement",
)
QUOTES = ("The guests presented their hosts with gifts.", "Gifts were exchanged.")

# Sanctions regimes created when missing (code, name, short name, authority, target, from).
REGIMES = (
    (
        "UN-SC1718",
        "UN Security Council sanctions on the DPRK (1718 Committee)",
        "UN DPRK sanctions",
        "UN Security Council",
        "KP",
        datetime.date(2006, 10, 14),
        "S/RES/1718 (2006) OP 8(a)(iii)",
    ),
    (
        "EU-RU",
        "EU restrictive measures against Russia",
        "EU Russia sanctions",
        "Council of the European Union",
        "RU",
        datetime.date(2014, 7, 31),
        "Council Regulation (EU) No 833/2014, Art. 3h",
    ),
    (
        "US-OFAC-IR",
        "US sanctions on Iran (OFAC)",
        "US Iran sanctions",
        "US Treasury, OFAC",
        "IR",
        datetime.date(1995, 3, 15),
        "31 CFR 560.204",
    ),
)
FLAG_SHARE = 0.005
FLAG_STATUS_WEIGHTS = {
    FlagStatus.POSSIBLE: 30,
    FlagStatus.ALLEGED: 35,
    FlagStatus.CONFIRMED: 10,
    FlagStatus.DISPUTED: 15,
    FlagStatus.CLEARED: 10,
}
ALLEGED_BY = (
    "Panel of Experts of the sanctions committee",
    "A member of parliament",
    "An investigative news outlet",
    "A sanctions monitoring group",
    "The foreign ministry of a neighbouring state",
)
RATIONALES = (
    "Luxury goods may not be supplied to the target state or its officials.",
    "The item appears on the list of prohibited goods.",
    "The value exceeds the threshold for luxury goods.",
)
DENIALS = (
    "The gift was a personal token of no commercial value.",
    "The item was produced in the recipient's country and never exported.",
)


@dataclasses.dataclass(frozen=True)
class Shape:
    standalone: float  # the share of draws that are a single gift outside any visit
    visit_mean: float  # a visit's gifts: 1 + an exponential draw of this mean (at most 40)
    sources_per_gift: float  # the pool of sources, per gift…
    max_sources: int  # …at most this many


SHAPES = {
    "bench": Shape(standalone=0.49, visit_mean=6.5, sources_per_gift=0.02, max_sources=5000),
    "sourced": Shape(standalone=0.10, visit_mean=5.0, sources_per_gift=0.6, max_sources=10**7),
}


class Weighted:
    """Draws one of `values` with the given weights, fast (bisect on cumulative weights)."""

    def __init__(self, weights):
        self.values = list(weights)
        self.cum = list(accumulate(weights.values()))
        self.total = self.cum[-1]

    def draw(self, rng):
        return self.values[bisect.bisect(self.cum, rng.random() * self.total)]


class Table:
    """Rows for one table, as tuples in column order; columns this module does not know
    (added to the model later) get the field's default."""

    def __init__(self, model, *, with_id=True):
        self.model = model
        self.name = model._meta.db_table
        fields = [
            f
            for f in model._meta.concrete_fields
            if not getattr(f, "generated", False) and (with_id or not f.primary_key)
        ]
        self.columns = [f.column for f in fields]
        self.defaults = {f.column: _default(f) for f in fields}
        self.values_of = operator.itemgetter(*self.columns)
        self.rows = []
        self.count = 0

    def add(self, values):
        self.rows.append(self.values_of({**self.defaults, **values}))
        self.count += 1


def _default(field):
    if field.has_default():
        value = field.get_default()
        return json.dumps(value) if field.get_internal_type() == "JSONField" else value
    if field.null:
        return None
    return "" if field.empty_strings_allowed else None


class CopyWriter:
    """PostgreSQL: COPY, from a second thread, so that the database stores one batch while
    the next one is generated (the two take about as long as each other)."""

    method = "PostgreSQL COPY"

    def __init__(self):
        self.timings = {}
        self.finished_at = None
        self.jobs = queue.Queue(maxsize=24)
        self.failure = None
        self.stopped = False

    @contextlib.contextmanager
    def loading(self, tables):
        """Load with the tables' foreign keys and secondary indexes set aside and put
        back at the end, in the same transaction (importers.bulk.set_aside), the rows
        copied by a thread while the main one generates the next batch."""
        began = time.monotonic()
        with set_aside(tables):
            thread = threading.Thread(target=self._copy_jobs, args=(connection.connection,))
            thread.start()
            try:
                yield
            except BaseException:
                self.stopped = True
                raise
            finally:
                self.jobs.put(None)
                thread.join()
            if self.failure:
                raise self.failure
            copied = time.monotonic()
        self.finished_at = time.monotonic()
        self.timings = {
            "generate and copy": copied - began,
            "indexes and foreign keys": self.finished_at - copied,
        }

    def write(self, table):
        if self.failure:
            raise self.failure
        if table.rows:
            self.jobs.put((table.name, table.columns, table.rows))
            table.rows = []

    def _copy_jobs(self, raw_connection):
        qn = connection.ops.quote_name
        while (job := self.jobs.get()) is not None:
            if self.failure or self.stopped:
                continue
            name, columns, rows = job
            sql = f"COPY {qn(name)} ({', '.join(map(qn, columns))}) FROM STDIN"
            try:
                with raw_connection.cursor() as cursor, cursor.copy(sql) as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row)
            except Exception as exc:  # handed to the main thread, which raises it
                self.failure = exc


class InsertWriter:
    """SQLite (small registries): batched INSERTs, values adapted as Django would."""

    method = "INSERT"

    def __init__(self):
        self.timings = {}
        self.finished_at = None

    @contextlib.contextmanager
    def loading(self, tables):
        began = time.monotonic()
        yield
        self.finished_at = time.monotonic()
        self.timings = {"generate and insert": self.finished_at - began}

    def write(self, table):
        if not table.rows:
            return
        qn = connection.ops.quote_name
        sql = (
            f"INSERT INTO {qn(table.name)} ({', '.join(map(qn, table.columns))}) "
            f"VALUES ({', '.join(['%s'] * len(table.columns))})"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [tuple(map(self.adapt, row)) for row in table.rows])
        table.rows = []

    @staticmethod
    def adapt(value):
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value


class LeaderSpec:
    """What gifts and visits need of a generated leader (the row itself is in a Table)."""

    __slots__ = ("id", "name", "country", "title", "reported", "first", "last")


class Generator:
    """Builds the synthetic registry batch by batch; `tables` hold the rows to write."""

    def __init__(self, gifts, seed, start_ids, taken, shape=SHAPES["bench"]):
        self.n_gifts = gifts
        self.shape = shape
        self.rng = random.Random(seed)
        self.ids = dict(start_ids)
        self.taken_names = taken["leader_names"]
        self.taken_slugs = taken["leader_slugs"]
        self.visit_slugs = taken["visit_slugs"]
        self.slug_counters = {}
        self.tables = {
            "leader": Table(Leader),
            "source": Table(Source),
            "visit": Table(Visit),
            "visitors": Table(Visit.visitors.through, with_id=False),
            "hosts": Table(Visit.hosts.through, with_id=False),
            "visit_sources": Table(Visit.sources.through, with_id=False),
            "gift": Table(Gift),
            "gift_sources": Table(Gift.sources.through, with_id=False),
            "flag": Table(SanctionsFlag),
            "flag_sources": Table(SanctionsFlag.sources.through, with_id=False),
        }
        self.fold = functools.lru_cache(maxsize=200_000)(fold)
        gift_columns = self.tables["gift"].columns
        self.flagged_column = (
            gift_columns.index("is_flagged") if "is_flagged" in gift_columns else None
        )
        self.published_gifts = 0
        self._setup_countries()
        self._setup_draws()

    # Set-up ---------------------------------------------------------------------------

    def _next_id(self, key):
        value = self.ids[key]
        self.ids[key] = value + 1
        return value

    def _setup_countries(self):
        """Per year, the weights of the states that existed then."""
        states = [c for c in COUNTRY_CODES if c not in NOT_STATES]
        weight = {}
        tail = [c for c in states if c not in TOP_COUNTRIES and c not in EXISTED]
        for rank, code in enumerate(TOP_COUNTRIES):
            weight[code] = 1 / (rank + 2) ** 1.15
        for code in tail:
            weight[code] = 0.25 / (len(TOP_COUNTRIES) + 2) ** 1.15
        for code in EXISTED:
            weight.setdefault(code, weight["RS"] / 3 if code == "XK" else 0.004)
        for old, new in SUCCESSORS.items():
            weight[old] = sum(weight.get(code, 0.004) for code in new)
        weight["DD"] = weight["DE"] * 0.3
        self.country_weight = weight
        self.spans = {}
        for code in weight:
            first, last = EXISTED.get(code, (FIRST_YEAR, LAST_YEAR))
            if code in SUCCESSOR_FROM:
                first = SUCCESSOR_FROM[code]
            else:
                for old, new in SUCCESSORS.items():
                    if code in new and old != "XS":
                        first = max(first, EXISTED[old][1] + 1)
            self.spans[code] = (first, last)
        self.countries_by_year = {
            year: Weighted(
                {c: w for c, w in weight.items() if self.spans[c][0] <= year <= self.spans[c][1]}
            )
            for year in YEARS
        }
        # More recent years have more recorded gifts.
        self.year_weights = {year: 1 + (year - FIRST_YEAR) * 0.08 for year in YEARS}
        self.years = Weighted(self.year_weights)

    def _setup_draws(self):
        self.categories = Weighted(CATEGORY_WEIGHTS)
        # Prefixed names, each as often as its prefix is in ITEM_PREFIXES.
        self.items = {
            c: [(p + name).capitalize() for p in ITEM_PREFIXES for name in ITEMS[c].split("|")]
            for c in CATEGORY_WEIGHTS
        }
        self.dispositions = Weighted(DISPOSITION_WEIGHTS)
        self.precisions = Weighted(PRECISION_WEIGHTS)
        self.visit_precisions = Weighted(VISIT_PRECISION_WEIGHTS)
        self.gift_statuses = Weighted(GIFT_STATUS_WEIGHTS)
        self.visit_statuses = Weighted(VISIT_STATUS_WEIGHTS)
        self.kinds = Weighted(VISIT_KIND_WEIGHTS)
        self.flag_statuses = Weighted(FLAG_STATUS_WEIGHTS)

    # Leaders --------------------------------------------------------------------------

    def make_leaders(self):
        """Leaders in terms of office: per country a few offices ("tracks"), each held by
        one leader after another; about N/50 leaders in all, at least 300."""
        target = max(300, self.n_gifts // 50)
        avg_term = 7
        scale = {c: w**0.6 for c, w in self.country_weight.items()}
        raw = sum(scale[c] * (self.spans[c][1] - self.spans[c][0] + 1) / avg_term for c in scale)
        k = target / raw
        self.leaders = []
        self.active = {code: {year: [] for year in YEARS} for code in self.country_weight}
        for code in sorted(self.country_weight):
            first, last = self.spans[code]
            share = k * scale[code]
            tracks = max(1, round(share))
            # A country with less than one track's share gets longer terms instead.
            term_scale = min(1 / share, last - first + 1) if share < 1 else 1
            for track in range(tracks):
                year = first - self.rng.randrange(avg_term)
                while year <= last:
                    term = round(self.rng.randint(3, 2 * avg_term - 3) * term_scale)
                    start, end = max(year, first), min(year + term - 1, last)
                    if start <= end:
                        self._add_leader(code, track, start, end)
                    year += term
        for leader in self.leaders:
            for year in range(leader.first, leader.last + 1):
                self.active[leader.country][year].append(leader)

    def _office(self, code, track):
        if track == 0:
            return HEAD_OF_STATE.get(code, "President")
        return OFFICES[(track - 1) % len(OFFICES)]

    def _syllables(self, n):
        rng = self.rng
        return [
            (rng.choice(CONSONANTS), rng.choice(VOWELS), "n" if rng.random() < 0.2 else "")
            for _ in range(n)
        ]

    def _add_leader(self, code, track, first, last):
        rng = self.rng
        for _ in range(50):
            given = self._syllables(rng.choice((2, 2, 3)))
            family = self._syllables(2)
            name = f"{latin(given).capitalize()} {latin(family).capitalize()}"
            if (name, code) not in self.taken_names:
                break
        self.taken_names.add((name, code))
        native_script = NATIVE_SCRIPT.get(code)
        if native_script:
            native = render(native_script, given, family, native=True)
        elif code in ACCENTS and rng.random() < 0.8:
            accents = ACCENTS[code]
            native = (
                name.split(" ")[0] + " " + "".join(accents.get(ch, ch) for ch in name.split(" ")[1])
            )
        else:
            native = ""
        aliases = {variant(name, rng)}
        if code in ("KP", "KR", "CN", "TW"):
            # Family name first, the given name hyphenated: "Ri Son-gwon".
            aliases.add(f"{latin(family).capitalize()} {hyphenated(given)}")
        for script in rng.sample(SCRIPTS, 2):
            if script != native_script:
                aliases.add(render(script, given, family))
        aliases = sorted({a.strip() for a in aliases if a and a.strip() and a != name})
        slug = base = slugify(name)[:112].strip("-") or "leader"
        n = 2
        while slug in self.taken_slugs:
            slug, n = f"{base}-{n}", n + 1
        self.taken_slugs.add(slug)
        office = self._office(code, track)
        title = f"{office} of {country_name(code)}"
        created = entry_time(rng)
        leader = LeaderSpec()
        leader.id = self._next_id("leader")
        leader.name, leader.country, leader.title = name, code, title
        leader.reported = f"H.E. {name}, {title}"
        leader.first, leader.last = first, last
        self.leaders.append(leader)
        self.tables["leader"].add(
            {
                "id": leader.id,
                "created_at": created,
                "updated_at": created,
                "name": name,
                "native_name": native,
                "aliases": json.dumps(aliases, ensure_ascii=False),
                "country": code,
                "title": title,
                "slug": slug,
                "wikidata_id": f"Q{90_000_000 + leader.id}" if rng.random() < 0.3 else "",
                # As Leader.save() fills it: fold_all(*all_names()).
                "search_text": " ".join(
                    f for f in map(fold, [n for n in (name, native, *aliases) if n]) if f
                ),
            }
        )

    # Sources --------------------------------------------------------------------------

    def make_sources(self):
        """A pool of sources spread over the years like the gifts: a few thousand at most in
        the bench's shape, more than half as many as the gifts in the sourced one."""
        rng = self.rng
        shape = self.shape
        count = min(shape.max_sources, max(200, int(self.n_gifts * shape.sources_per_gift)))
        slug = functools.lru_cache(maxsize=len(HEADLINES))(slugify)
        self.sources_by_year = {year: [] for year in YEARS}
        table = self.tables["source"]
        for _ in range(count):
            source_id = self._next_id("source")
            year = self.years.draw(rng)
            day = random_day(rng, year)
            publisher, domain = rng.choice(PUBLISHERS)
            headline = rng.choice(HEADLINES)
            created = entry_time(rng)
            table.add(
                {
                    "id": source_id,
                    "created_at": created,
                    "updated_at": created,
                    "url": f"https://{domain}/{year}/{day:%m}/{slug(headline)}-{source_id}",
                    "title": headline,
                    "publisher": publisher,
                    "published_on": day,
                    "archived_url": (
                        f"https://archive.example/{day:%Y%m%d}/{domain}/{source_id}"
                        if rng.random() < 0.3
                        else ""
                    ),
                    "quote": rng.choice(QUOTES) if rng.random() < 0.2 else "",
                }
            )
            self.sources_by_year[year].append(source_id)
        # Years without a source of their own borrow the nearest year's.
        all_ids = [s for ids in self.sources_by_year.values() for s in ids]
        for year in YEARS:
            if not self.sources_by_year[year]:
                self.sources_by_year[year] = all_ids

    def _sources(self, year, n):
        pool = self.sources_by_year[year]
        return {pool[self.rng.randrange(len(pool))] for _ in range(n)}

    # Regimes ----------------------------------------------------------------------------

    def setup_flags(self, regimes):
        """Flag probability per eligible gift, so that about FLAG_SHARE of gifts are flagged:
        a gift is eligible when it involves a regime's target after it came into force."""
        self.regimes = regimes  # [(id, target, in_force_from, provisions)]
        eligible = 0.0
        total = sum(self.year_weights.values())
        for year, yw in self.year_weights.items():
            weights = self.countries_by_year[year]
            share = dict(
                zip(weights.values, (w / weights.total for w in _diff(weights.cum)), strict=True)
            )
            for _id, target, since, _p in regimes:
                if since.year <= year:
                    p = share.get(target, 0)
                    eligible += yw / total * (1 - (1 - p) ** 2)
        self.flag_probability = min(0.6, FLAG_SHARE / eligible) if eligible else 0

    # Visits and gifts -----------------------------------------------------------------

    def batches(self, batch_size):
        """Generate visits and gifts; yield the number of gifts after each full batch."""
        rng = self.rng
        made = pending = 0
        while made < self.n_gifts:
            # In the bench's shape, visits hold 7 gifts on average; half the draws are single
            # gifts sent outside any visit, about 12 % of all gifts. So about N/8 visits.
            if rng.random() < self.shape.standalone:
                k = self._standalone_gift()
            else:
                k = min(
                    1 + int(rng.expovariate(1 / self.shape.visit_mean)), 40, self.n_gifts - made
                )
                self._visit(k)
            made += k
            pending += k
            if pending >= batch_size:
                yield pending
                pending = 0
        if pending:
            yield pending

    def _pair(self, year):
        countries = self.countries_by_year[year]
        a = countries.draw(self.rng)
        b = a
        while b == a:
            b = countries.draw(self.rng)
        return a, b

    def _participants(self, code, year, n):
        active = self.active[code][year]
        if not active:
            return []
        # The head of state or government first, as in most delegations.
        return self.rng.sample(active, min(n, len(active)))

    def _visit(self, k):
        rng = self.rng
        year = self.years.draw(rng)
        visitor_country, host = self._pair(year)
        kind = self.kinds.draw(rng)
        visitor_countries = [visitor_country]
        if kind == VisitKind.MULTILATERAL:
            for _ in range(rng.randint(1, 3)):
                extra = self.countries_by_year[year].draw(rng)
                if extra not in visitor_countries and extra != host:
                    visitor_countries.append(extra)
        visitors = [
            p
            for code in visitor_countries
            for p in self._participants(code, year, rng.randint(1, 2))
        ]
        hosts = self._participants(host, year, rng.randint(1, 2))
        start = random_day(rng, year)
        end = min(start + datetime.timedelta(days=rng.choice((0, 1, 1, 2, 2, 3, 4))), date_max())
        city = place_name(rng)
        title = KIND_TITLES[kind].format(
            visitor=visitors[0].name if visitors else country_name(visitor_country),
            visitor_country=country_name(visitor_country),
            host=country_name(host),
            city=city,
            conference=rng.choice(CONFERENCES),
        )
        visit_id = self._next_id("visit")
        status = self.visit_statuses.draw(rng)
        entered = entry_times(rng, start)
        self.tables["visit"].add(
            {
                "id": visit_id,
                **status_times(rng, entered, status),
                "title": title,
                "slug": self._visit_slug(title, year),
                "host_country": host,
                "city": city if rng.random() < 0.9 else "",
                "venue": rng.choice(VENUES),
                "start_date": start,
                "end_date": end,
                "kind": kind,
                "summary": rng.choice(SUMMARIES) if rng.random() < 0.5 else "",
            }
        )
        for leader in dict.fromkeys(visitors):
            self.tables["visitors"].add({"visit_id": visit_id, "leader_id": leader.id})
        for leader in dict.fromkeys(hosts):
            self.tables["hosts"].add({"visit_id": visit_id, "leader_id": leader.id})
        visit_sources = sorted(self._sources(year, rng.choice((1, 1, 2))))
        for source_id in visit_sources:
            self.tables["visit_sources"].add({"visit_id": visit_id, "source_id": source_id})
        days = (end - start).days + 1
        for _ in range(k):
            giver_country = visitor_countries[int(rng.random() * len(visitor_countries))]
            givers = [v for v in visitors if v.country == giver_country]
            receivers = hosts
            recipient_country = host
            if rng.random() < 0.45:  # from the hosts to the visitors
                giver_country, recipient_country = host, giver_country
                givers, receivers = hosts, givers
            day = start + datetime.timedelta(days=int(rng.random() * days))
            gift_entered = entered
            if rng.random() < 0.03:  # promised at the visit, delivered later
                day = min(day + datetime.timedelta(days=rng.randint(30, 300)), date_max())
                gift_entered = entry_times(rng, day)
            self._gift(
                day,
                giver_country,
                recipient_country,
                givers,
                receivers,
                visit_id,
                visit_sources,
                gift_entered,
            )

    def _visit_slug(self, title, year):
        base = slugify(f"{title} {year}")[:112].strip("-") or "visit"
        n = self.slug_counters.get(base, 1)
        slug = base if n == 1 else f"{base}-{n}"
        while slug in self.visit_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slug_counters[base] = n + 1
        self.visit_slugs.add(slug)
        return slug

    def _standalone_gift(self):
        rng = self.rng
        year = self.years.draw(rng)
        giver_country, recipient_country = self._pair(year)
        day = random_day(rng, year)
        self._gift(
            day,
            giver_country,
            recipient_country,
            self._participants(giver_country, year, 1),
            self._participants(recipient_country, year, 1),
            None,
            (),
            entry_times(rng, day),
        )
        return 1

    def _party(self, leaders, code, year):
        """(leader or None, title at the time, as reported)."""
        rng = self.rng
        r = rng.random()
        if not leaders or r < 0.12:
            if r < 0.02 and self.active[code][year]:
                leaders = self.active[code][year]
            else:
                template = REPORTED_AS[int(r * 1000) % len(REPORTED_AS)]
                return None, "", template.format(country_name(code))
        leader = leaders[int(rng.random() * len(leaders))]
        r = rng.random()
        # The office at the time in 80% of entries, the register's own wording in 30%.
        return leader, leader.title if r < 0.8 else "", leader.reported if r > 0.7 else ""

    def _gift(
        self, day, giver_country, recipient_country, givers, receivers, visit_id, sources, entered
    ):
        rng = self.rng
        random = rng.random
        fold_ = self.fold
        year = day.year
        giver, giver_title, giver_reported = self._party(givers, giver_country, year)
        recipient, recipient_title, recipient_reported = self._party(
            receivers, recipient_country, year
        )
        category = self.categories.draw(rng)
        items = self.items[category]
        item = items[int(random() * len(items))]
        r = random()
        if r < 0.35:
            description = ""
        elif r < 0.7:
            description = OCCASIONS[int(r * 1000) % len(OCCASIONS)]
        else:
            description = (
                f"{OCCASIONS[int(r * 1000) % len(OCCASIONS)]} Made in "
                f"{country_name(giver_country)}. {DETAILS[int(r * 10000) % len(DETAILS)]}"
            )
        precision = (self.visit_precisions if visit_id else self.precisions).draw(rng)
        if precision == DatePrecision.DAY:
            date = day
        elif precision == DatePrecision.MONTH:
            date = day.replace(day=1)
        elif precision == DatePrecision.YEAR:
            date = day.replace(month=1, day=1)
        else:
            date = None
        status = self.gift_statuses.draw(rng)
        if status in (DRAFT, IN_REVIEW) and rng.random() < 0.25:
            # A register omitted a country: allowed on a draft, blocks publishing.
            if rng.random() < 0.5:
                giver_country, giver = "", None
            else:
                recipient_country, recipient = "", None
        value = currency = value_usd = None
        value_note = ""
        r = rng.random()
        if r < 0.7:
            usd = MEDIAN_USD[category] * math.exp(rng.gauss(0, 1.1))
            currency = "USD"
            if rng.random() < 0.7:
                currency = currency_for(recipient_country or giver_country, year)
            amount = usd / USD_RATE[currency]
            amount = round(amount, -1) if amount > 100 else round(amount, 2)
            value = f"{amount:.2f}"
            if currency == "USD":
                value_usd = value
            elif rng.random() < 0.9:
                value_usd = f"{usd:.2f}"
                value_note = VALUE_NOTES[5] if rng.random() < 0.3 else ""
            if not value_note and rng.random() < 0.08:
                value_note = rng.choice(VALUE_NOTES[:5])
        elif r < 0.78:
            value_note = "undisclosed"
        gift_id = self._next_id("gift")
        self.tables["gift"].add(
            {
                "id": gift_id,
                **status_times(rng, entered, status),
                "item": item,
                "description": description,
                "category": category,
                "quantity": quantity(random()),
                "giver_id": giver.id if giver else None,
                "recipient_id": recipient.id if recipient else None,
                "giver_title": giver_title,
                "recipient_title": recipient_title,
                "giver_country": giver_country,
                "recipient_country": recipient_country,
                "giver_as_reported": giver_reported,
                "recipient_as_reported": recipient_reported,
                "visit_id": visit_id,
                "date": date,
                "date_precision": precision,
                "value": value,
                "currency": currency or "",
                "value_usd": value_usd,
                "value_note": value_note,
                "disposition": self.dispositions.draw(rng),
                "notes": GIFT_NOTES[int(r * 100) % len(GIFT_NOTES)] if random() < 0.05 else "",
                # As Gift.refresh_search_text() fills it (fold_all of these six fields).
                "search_text": " ".join(
                    f
                    for f in (
                        fold_(item),
                        fold_(description),
                        fold_(giver_reported),
                        fold_(recipient_reported),
                        fold_(giver_title),
                        fold_(recipient_title),
                    )
                    if f
                ),
            }
        )
        if status == PUBLISHED:
            self.published_gifts += 1
        # The visit's first source (as a rule), a register or news source of its own, or both.
        r = random()
        gift_sources = {sources[0]} if sources and r < 0.8 else set()
        if not gift_sources or r > 0.6:
            pool = self.sources_by_year[min(year + (r > 0.9), LAST_YEAR)]
            gift_sources.add(pool[int(random() * len(pool))])
        add_source = self.tables["gift_sources"].add
        for source_id in gift_sources:
            add_source({"gift_id": gift_id, "source_id": source_id})
        if date is not None and self.flag_probability:
            for regime_id, target, since, provisions in self.regimes:
                if (
                    target in (giver_country, recipient_country)
                    and date >= since
                    and rng.random() < self.flag_probability
                ):
                    is_open = self._flag(
                        gift_id, status, date, regime_id, provisions, recipient_country
                    )
                    if is_open and self.flagged_column is not None:
                        # Gift.is_flagged: a published flag whose claim is not cleared.
                        rows = self.tables["gift"].rows
                        row = list(rows[-1])
                        row[self.flagged_column] = True
                        rows[-1] = tuple(row)
                    break

    def _flag(self, gift_id, gift_status, date, regime_id, provisions, recipient_country):
        rng = self.rng
        status = self.flag_statuses.draw(rng)
        publication = PUBLISHED if gift_status == PUBLISHED and rng.random() < 0.85 else DRAFT
        alleged_on = min(date + datetime.timedelta(days=rng.randint(10, 700)), date_max())
        denied = status == FlagStatus.DISPUTED or (
            status == FlagStatus.ALLEGED and rng.random() < 0.4
        )
        flag_id = self._next_id("flag")
        self.tables["flag"].add(
            {
                "id": flag_id,
                **status_times(rng, entry_times(rng, alleged_on), publication),
                "gift_id": gift_id,
                "regime_id": regime_id,
                "status": status,
                "provisions": provisions,
                "rationale": rng.choice(RATIONALES),
                "alleged_by": rng.choice(ALLEGED_BY),
                "alleged_on": alleged_on,
                "denied_by": (
                    f"Ministry of Foreign Affairs of {country_name(recipient_country)}"
                    if denied and recipient_country
                    else ""
                ),
                "denial": rng.choice(DENIALS) if denied else "",
            }
        )
        for source_id in self._sources(alleged_on.year, 1):
            self.tables["flag_sources"].add({"sanctionsflag_id": flag_id, "source_id": source_id})
        return publication == PUBLISHED and status != FlagStatus.CLEARED


# Small helpers --------------------------------------------------------------------------


@functools.cache
def country_name(code):
    """The country's name, looked up once per code (the lookup goes through gettext)."""
    return str(_country_name(code))


def _diff(cum):
    previous = 0
    for value in cum:
        yield value - previous
        previous = value


@functools.cache
def date_max():
    return datetime.date(LAST_YEAR, 12, 31)


def random_day(rng, year):
    return datetime.date.fromordinal(
        datetime.date(year, 1, 1).toordinal() + rng.randrange(366 if year % 4 == 0 else 365)
    )


def entry_time(rng):
    span = (ENTRY_END - ENTRY_START).total_seconds()
    return ENTRY_START + datetime.timedelta(seconds=int(rng.random() * span))


def entry_times(rng, day):
    """(created_at, updated_at) of a record about an event on `day`: entered after it (and
    within the registry's life), last changed up to a month later."""
    event = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    start = max(ENTRY_START, event + datetime.timedelta(days=7))
    latest = ENTRY_END - datetime.timedelta(days=30)
    created = min(start + datetime.timedelta(seconds=int(rng.random() * 400 * 86400)), latest)
    return created, created + datetime.timedelta(seconds=int(rng.random() * 30 * 86400))


def status_times(rng, entered, status):
    """The timestamps and publication fields of a record entered at `entered`."""
    created, updated = entered
    times = {"created_at": created, "updated_at": updated, "publication_status": status}
    if status == PUBLISHED:
        times["published_at"] = updated
    elif status == RETRACTED:
        times["published_at"] = created + (updated - created) / 2
        times["retracted_at"] = updated
        times["retraction_reason"] = RETRACTION_REASONS[int(rng.random() * 4)]
    return times


def quantity(r):
    """1 mostly, a few, "several" (blank) or many; from a uniform draw r in [0, 1)."""
    if r < 0.75:
        return 1
    if r < 0.87:
        return 2 + int((r - 0.75) * 90)  # 2 to 12
    if r < 0.95:
        return None
    return 13 + int((r - 0.95) * 1760)  # 13 to 100


def currency_for(code, year):
    if code in EURO:
        if year >= 1999:
            return "EUR"
        return LEGACY.get(code, "USD")
    if code == "RU" and year < 1992:
        return "SUR"
    return CURRENCIES.get(code, "USD")


def latin(syllables):
    return "".join(c + v + f for c, v, f in syllables)


def hyphenated(syllables):
    parts = [c + v + f for c, v, f in syllables]
    return parts[0].capitalize() + "-" + "".join(parts[1:])


def variant(name, rng):
    """Another Latin transliteration of the same name: 'Shenlu' -> 'Schenlou'."""
    rules = [rule for rule in LATIN_VARIANTS if rule[0] in name.lower()]
    if not rules:
        return name.replace(" ", "-", 1) if rng.random() < 0.5 else name.upper()
    old, new = rng.choice(rules)
    return name.replace(old, new).replace(old.capitalize(), new.capitalize())


def render(script, given, family, native=False):
    """A name in another script, syllable by syllable."""
    if script == "cyrillic":
        word = lambda s: "".join(CYRILLIC[c] + CYRILLIC[v] + ("н" if f else "") for c, v, f in s)  # noqa: E731
        return f"{word(given).capitalize()} {word(family).capitalize()}"
    if script == "arabic":
        word = lambda s: "".join(  # noqa: E731
            ARABIC[c] + (ARABIC[v] if v in "aiu" or not c else "") + ("ن" if f else "")
            for c, v, f in s
        )
        return f"{word(given)} {word(family)}"
    if script == "hangul":
        word = lambda s: "".join(  # noqa: E731
            chr(0xAC00 + (HANGUL_INITIAL[c] * 21 + HANGUL_VOWEL[v]) * 28 + (4 if f else 0))
            for c, v, f in s
        )
        # Korean order: family name (one syllable) first.
        return f"{word(family[:1])} {word(given)}" if native else f"{word(given)} {word(family)}"
    index = CONSONANTS.index
    word = lambda s: "".join(CHINESE[v][index(c)] + ("恩" if f else "") for c, v, f in s)  # noqa: E731
    if native:
        return word(family[:1]) + word(given)
    return f"{word(given)}·{word(family)}"


PLACE_START = ("Port ", "San ", "New ", "Nova ", "", "", "", "", "")
PLACE_END = ("", "", "grad", "abad", "burg", "pur", "ville", " City")


def place_name(rng):
    syllables = "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(2))
    return (rng.choice(PLACE_START) + syllables.capitalize() + rng.choice(PLACE_END)).strip()


class Command(BaseCommand):
    help = (
        "Fill the registry with N synthetic gifts (with their leaders, visits, sources and "
        "sanctions flags) for benchmarks: skewed countries, names in several scripts, "
        "approximate dates, several currencies. The same --seed gives the same registry. "
        "Rows are written in bulk (COPY on PostgreSQL), so no history rows are recorded "
        "for them. Refuses a non-empty registry unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--gifts", type=int, required=True, help="How many gifts (N).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--batch", type=int, default=20000, help="Gifts written per batch (default 20000)."
        )
        parser.add_argument(
            "--append", action="store_true", help="Add to a registry that already has records."
        )
        parser.add_argument(
            "--shape",
            choices=sorted(SHAPES),
            default="bench",
            help="The registry's shape (default bench; see the module's docstring).",
        )

    def handle(self, *args, gifts, seed, batch, append, shape="bench", **options):
        if gifts < 1:
            raise CommandError("--gifts must be at least 1.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        existing = {
            "gifts": Gift.objects.count(),
            "visits": Visit.objects.count(),
            "leaders": Leader.objects.count(),
            "sources": Source.objects.count(),
        }
        if any(existing.values()) and not append:
            held = ", ".join(f"{n:,} {name}" for name, n in existing.items() if n)
            raise CommandError(
                f"The registry is not empty ({held}). Generate into an empty database, or "
                "give --append to add to what is there."
            )
        started = time.monotonic()
        writer = CopyWriter() if connection.vendor == "postgresql" else InsertWriter()
        models = {
            "leader": Leader,
            "source": Source,
            "visit": Visit,
            "gift": Gift,
            "flag": SanctionsFlag,
        }
        start_ids = {
            key: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
            for key, model in models.items()
        }
        taken = {"leader_names": set(), "leader_slugs": set(), "visit_slugs": set()}
        if append:
            taken["leader_names"] = set(Leader.objects.values_list("name", "country"))
            taken["leader_slugs"] = set(Leader.objects.values_list("slug", flat=True))
            taken["visit_slugs"] = set(Visit.objects.values_list("slug", flat=True))
        show_progress = sys.stderr.isatty() and options.get("verbosity", 1) > 0
        generator = Generator(gifts, seed, start_ids, taken, SHAPES[shape])
        with transaction.atomic():
            regimes = []
            for code, name, short, authority, target, since, provisions in REGIMES:
                regime, _created = SanctionsRegime.objects.get_or_create(
                    code=code,
                    defaults={
                        "name": name,
                        "short_name": short,
                        "authority": authority,
                        "target_country": target,
                        "in_force_from": since,
                        "legal_basis": provisions,
                    },
                )
                regimes.append(
                    (
                        regime.pk,
                        target,
                        regime.in_force_from or since,
                        regime.legal_basis or provisions,
                    )
                )
            generator.setup_flags(regimes)
            generator.make_leaders()
            generator.make_sources()
            tables = [table.name for table in generator.tables.values()]
            with (
                facets.deferred(),
                writer.loading(tables),
                tqdm(total=gifts, unit=" gifts", disable=not show_progress, file=sys.stderr) as bar,
            ):
                for key in ("leader", "source"):
                    writer.write(generator.tables[key])
                # Millions of short-lived tuples and no cycles: the cyclic collector would
                # only scan them over and over.
                gc.disable()
                try:
                    for done in generator.batches(batch):
                        for table in generator.tables.values():
                            writer.write(table)
                        bar.update(done)
                finally:
                    gc.enable()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), list(models.values())):
                        cursor.execute(sql)
        loaded = time.monotonic()
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses on empty tables; and, outside a
            # transaction, a vacuum, which sets the visibility map (index-only scans) and
            # clears the dead rows that triggers may have left, as on a registry in use.
            with connection.cursor() as cursor:
                if connection.in_atomic_block:
                    for name in tables:
                        cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
                else:
                    cursor.execute("VACUUM (ANALYZE)")
        else:
            # SQLite too plans on statistics: without them it reads a leader's gifts through
            # the index of published gifts rather than the leader's own (the leaders index
            # takes seconds instead of a fraction of one).
            backend().analyze(list(models.values()))
        # The rows bypassed the models' signals: pages cached before them are stale.
        bump_public_version()
        counts = {key: t.count for key, t in generator.tables.items()}
        finished = time.monotonic()
        elapsed = finished - started
        if options.get("verbosity", 1) > 1:
            for phase, seconds in [
                *writer.timings.items(),
                ("commit", loaded - writer.finished_at),
                ("vacuum, analyze and cache", finished - loaded),
            ]:
                self.stdout.write(f"  {phase}: {seconds:.1f} s")
        self.stdout.write(
            f"Generated {counts['gift']:,} gifts ({generator.published_gifts:,} published), "
            f"{counts['visit']:,} visits, {counts['leader']:,} leaders, "
            f"{counts['source']:,} sources and {counts['flag']:,} sanctions flags "
            f"in {elapsed:.1f} s ({writer.method}, seed {seed}, shape {shape})."
        )
