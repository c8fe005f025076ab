"""Country names as registers write them, to the registry's country codes.

Names come from django-countries (ISO 3166-1 names, their common and former forms, and the
historical states of settings.COUNTRIES_OVERRIDE), from CLDR's English names through Babel
("Bosnia & Herzegovina", "Congo - Kinshasa", "Myanmar (Burma)"), and from the committed
table country_aliases.csv for the forms registers use ("Republic of Korea", "USSR",
"Bavaria"). A name that matches none of them is reported, never guessed; the alias table
also lists names that are deliberately left unknown because they are ambiguous ("Korea").
"""

import csv
import functools
import re
from pathlib import Path

from babel import Locale
from django.conf import settings
from django.utils import translation
from django_countries import countries
from django_countries.data import COUNTRIES

from giftapp.codes import COUNTRY_CODES
from giftapp.text import fold

ALIASES_FILE = Path(__file__).with_name("country_aliases.csv")

# What registers write for "no country given". "NA" is R's missing value, not Namibia.
MISSING = {"", "na", "n a", "unknown", "country unknown", "not available"}

# A leading form of state, dropped only when what remains is itself a country name:
# "Kingdom of Saudi Arabia" -> "Saudi Arabia", "Islamic Republic of Pakistan" -> "Pakistan".
_STATE_FORM = re.compile(
    r"^(?:(?:federal|federative|democratic|socialist|people s|islamic|arab|united|hashemite|"
    r"royal|plurinational|bolivarian|oriental|co operative|cooperative|independent|grand)\s+)*"
    r"(?:republic|kingdom|state|sultanate|principality|emirate|commonwealth|duchy|union)"
    r"\s+of\s+(?:the\s+)?"
)
# After dropping a state form, these remainders are not safe to read as a country:
# the Republic of China is Taiwan, "Korea" and "Congo" each name two states.
_UNSAFE_REMAINDERS = {"china", "korea", "congo"}

_TOKENS = {"st": "saint", "ste": "sainte", "rep": "republic"}


class UnknownCountry(ValueError):
    """A country name that the registry cannot map to a code."""

    def __init__(self, name, note=""):
        self.name, self.note = name, note
        detail = f" ({note})" if note else ""
        super().__init__(f"unknown country name {name!r}{detail}")


def name_key(name):
    """Fold a country name for matching: case, accents, punctuation, '&', 'St.', 'The'."""
    words = fold(str(name).replace("&", " and ")).split()
    words = [_TOKENS.get(word, word) for word in words]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _variants(name):
    """An ISO name and its reordered forms: 'Korea (the Republic of)' also gives
    'the Republic of Korea'; 'Palestine, State of' gives 'State of Palestine'."""
    yield name
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", name) or re.fullmatch(r"(.+?),\s*(.+)", name)
    if match:
        base, qualifier = match.groups()
        yield f"{qualifier} {base}"


@functools.cache
def _aliases():
    """Folded alias -> (code, note); a blank code marks a name left unknown on purpose."""
    with ALIASES_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            name_key(row["name"]): (row["code"].strip().upper(), row["note"].strip())
            for row in csv.DictReader(handle)
        }


@functools.cache
def _names():
    """Folded country name -> code, from django-countries and CLDR. Primary names win
    over reordered ones; a name two codes share in the same tier is dropped as ambiguous."""
    historical = set(getattr(settings, "COUNTRIES_OVERRIDE", {}))
    cldr = Locale("en").territories
    primary, derived = {}, {}

    def add(table, name, code):
        table.setdefault(name_key(name), set()).add(code)

    with translation.override("en"):
        for code, name in countries:
            add(primary, str(name), code)
        for code, name in COUNTRIES.items():
            if code in historical:
                continue
            for number, variant in enumerate(_variants(str(name))):
                add(primary if number == 0 else derived, variant, code)
        for code, names in countries.OLD_NAMES.items():
            for name in names:
                add(derived, str(name), code)
    for code in COUNTRY_CODES:
        if code not in historical and code in cldr:
            add(primary, cldr[code], code)
    table = {key: codes.pop() for key, codes in derived.items() if len(codes) == 1}
    table.update({key: codes.pop() for key, codes in primary.items() if len(codes) == 1})
    return table


def _lookup(key):
    aliases = _aliases()
    if key in aliases:
        return aliases[key]
    code = _names().get(key)
    return (code, "") if code else None


def country_code(name):
    """Map a register's country name to a registry code: 'Republic of Korea' -> 'KR'.

    Returns "" when the register gives no country ("NA", blank). Raises UnknownCountry
    for a name it cannot map, including the ones left unknown on purpose ("Korea").
    """
    text = " ".join(str(name or "").split())
    code, note = _resolve(text)
    if code is None:
        raise UnknownCountry(text, note)
    return code


@functools.lru_cache(maxsize=16384)
def _resolve(text):
    """(code, "") for a known name, ("", "") for a missing one, (None, note) otherwise."""
    key = name_key(text)
    if key in MISSING:
        return "", ""
    found = _lookup(key)
    if found is None:
        remainder, previous = key, None
        while remainder != previous and found is None:
            previous, remainder = remainder, _STATE_FORM.sub("", remainder, count=1)
            if remainder and remainder != previous and remainder not in _UNSAFE_REMAINDERS:
                found = _lookup(remainder)
    if found is None:
        return None, ""
    code, note = found
    return (code, "") if code else (None, note)


_OF = re.compile(r"(?i)\bof\s+")


def country_in_text(text):
    """The one country a donor's words name after an "of" ("Ambassador of the Republic of
    Korea" -> "KR"), or "" when they name none, or several."""
    found = set()
    for segment in re.split(r"[,;()]", str(text or "")):
        for match in _OF.finditer(segment):
            code = _resolve(" ".join(segment[match.end() :].split()).strip(" ."))[0]
            if code:
                found.add(code)
                break
    return found.pop() if len(found) == 1 else ""
