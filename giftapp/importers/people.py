"""Who a register's text names: one leader per real person, whatever the spelling.

A register writes the same person many ways: "Abdullah II bin al Hussein", "Abdullah II
ibn Al Hussein", "Kind Abdullah II"; "Abdullah bin Abdulaziz Al-Saud" and "Abdallah bin
Abd al-Aziz Al Saud"; or only the office, "The Prime Minister of Japan and Mrs. Obuchi".
Three things find the one leader behind a spelling, always within one country:

- a name key that ignores case, accents, punctuation, honorifics and ranks (misspelt ones
  too), the country written into the name, and the particles of Arabic names (bin, ibn,
  al-), so most spellings meet exactly;
- close spellings, sure enough to decide alone: the key run together a letter or two off
  (rapidfuzz's edit-distance ratio, the first name and any regnal number agreeing), or the
  words one by one each a letter or two off or of one consonant skeleton ("Mitib",
  "Mutaib");
- looser fits, taken only when one leader of the country fits: a shorter name that opens
  a longer one ("Abdullah II", "Abdullah II bin al Hussein"), leaves out up to two middle
  names or an opening Muhammad ("Hussein Tantawy", "Mohamed Hussein Tantawi"), an initial
  or the start of a word ("Vlad Filat"), the words in another order, a surname alone
  ("Soomro"), or a given name alone before a lineage ("Bandar", "Bandar bin Sultan");
  never a son for his father ("Mohammed bin Salman" is not "Salman"); where several
  leaders fit, the one sharing more of the spelling's words than any other ("Mohammed
  Jaham Al Kuwari" is "Jaham Al Kuwari", not "Mohammed Kuwari"), else the one named at
  least ten times as often as all the others together ("Prince Bandar" is Bandar bin
  Sultan, named 16 times, not Bandar bin Khaled, named once);
- the bundled table of office holders (giftapp/data/office_holders.csv): a mention that
  gives only an office ("President of Ukraine", "King Abdullah", "Prime Minister
  Vajpaye") is the person who held it on the gift's date, when nothing in the mention
  contradicts the holder's name; a holder's listed spellings all name one leader, under
  the table's name and Wikidata id.

Every rule is deterministic; nothing here merges two existing leaders (editors do that in
the admin), it only decides which leader a new spelling belongs to.
"""

import csv
import datetime
import functools
import html
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ..models.leaders import LeaderKind
from ..text import fold
from .base import Party

PERSON, BODY = LeaderKind.PERSON, LeaderKind.BODY

OFFICE_HOLDERS = Path(__file__).resolve().parent.parent / "data" / "office_holders.csv"


def _words(text):
    return frozenset(text.split())


# Words of address and rank that may open a name, never part of it.
_HONORIFICS = _words(
    "his her their excellency excellencies majesty majesties highness highnesses royal "
    "hh hrh hm he mr mrs ms dr sir dame lady madame the honorable honourable hon "
    "king queen prince princess crown emir amir sheikh sheikha shaikh shaykh sheik "
    "sayyid begum yab yb ybhg yabhg dato datuk datin tun haji hajah hajjah haijah haja alhaji "
    "raja isteri pengiran pengiram anak paduka seri baginda "
    "president minister general admiral colonel ambassador"
)
# Misspellings the registers print, folded: "Kind Abdullah II", "Shiekh", "Excellancy".
_MISSPELT = _words("kind kng knig prine prnce shiekh sheihk sheik excellancy exellency")
# Ranks that open a name, and the long words of address whose misspellings are caught by
# likeness ("His Excellendy", "Geneneral", "Field Marshall").
_RANKS = _words(
    "field marshal marshall lt ltg gen maj brig brigadier lieutenant major commander "
    "captain general admiral colonel rear vice adm radm vadm governor mod"
)
_LONG_HONORIFICS = (
    "excellency", "majesty", "highness", "general", "marshal", "honorable", "lieutenant",
    "governor", "brigadier", "commander",
)  # fmt: skip
# The particles of a name, which spellings use or drop at will.
_PARTICLES = _words("bin ibn bn b ben bint binti al el ul")
_LINEAGE = _words("bin ibn bint binti ibni")
_ORDINALS = _words("i ii iii iv v vi vii viii ix x xi xii")
# The forms of Muhammad that open many names and that a spelling may leave out
# ("Mohamed Hussein Tantawi" and "Hussein Tantawi"; "Mohd Najib" and "Najib").
_MUHAMMAD = _words("muhammad muhammed mohammad mohammed mohamed mohamad mohd muhammet mehmet")

# Words a key writes one way: a regnal number read as letters ("Abdullah ll"), and the
# forms of Muhammad.
_CANONICAL = {"ll": "ii", "lll": "iii", **{form: "muhammad" for form in _MUHAMMAD}}

# Two spellings of one name: the keys' edit-distance ratio, and their first names'; two
# spellings of one word.
SPELLING_RATIO = 87
FIRST_NAME_RATIO = 80
WORD_RATIO = 85
SKELETON_RATIO = 60
# How many words a shorter spelling may leave out of a longer one.
MAY_LEAVE_OUT = 2
# Where several leaders fit a spelling equally well: the one named at least this often,
# and this many times as often as all the others together.
DOMINANT_ROWS = 10
DOMINANCE = 10


# Names that look like a misspelt title: "Mashal Al-Zaben" is not "Marshal Al-Zaben".
_NAMES_LIKE_TITLES = _words("mashal mishal")
# Titles of two words whose words alone may be names: "H.E.", "Tan Sri"; "Reid Marshal"
# is how one register prints Field Marshal.
_PAIRS = frozenset(
    tuple(pair.split())
    for pair in ("h e", "dato sri", "tan sri", "reid marshal")
)  # fmt: skip
HONORIFIC_RATIO = 80


@functools.lru_cache(maxsize=100_000)
def _is_honorific(word):
    if word in _HONORIFICS or word in _MISSPELT or word in _RANKS:
        return True
    return (
        len(word) >= 6
        and word not in _NAMES_LIKE_TITLES
        and any(fuzz.ratio(word, h) >= HONORIFIC_RATIO for h in _LONG_HONORIFICS)
    )


def _broken_title(pair):
    """Whether two words are one title with a space misprinted inside: "Paduk a Seri"."""
    return len(pair[1]) <= 2 and _is_honorific(pair[0] + pair[1])


def _sultan(words):
    """Whether the name opens with the title Sultan ("Sultan Haji Hassanal Bolkiah",
    "Sultan Qaboos") rather than the name ("Sultan bin Abdulaziz")."""
    return fold(words[0]) == "sultan" and fold(words[1]) not in _PARTICLES


def _without_titles(words):
    """The words (as written, or folded) without the titles that open them: words of
    address, ranks, misspellings of either, titles of two words ("H.E.", "Dato' Sri"),
    a title broken in two ("Paduk a"). A name keeps at least one word."""
    while len(words) > 1:
        pair = tuple(fold(word) for word in words[:2])
        if (pair in _PAIRS or _broken_title(pair)) and len(words) > 2:
            words = words[2:]
        elif pair[0] == "h e" or _is_honorific(pair[0]) or _sultan(words):
            words = words[1:]
        else:
            break
    return words


def _tokens(name):
    """The name's folded words, the titles that open it dropped."""
    return _without_titles(fold(html.unescape(name or "")).split())


def plainly_a_name(name):
    """Whether words read out of a register's text plainly name a person: a given name,
    then bin, binti or ibni and a lineage ("Saleha binti Al-Marhum Pengiran …")."""
    tokens = _tokens(name)
    return len(tokens) >= 3 and tokens[1] in _LINEAGE


def only_titles(name):
    """Whether a name is titles alone, with no name among them: "Paduka Seri Baginda Raja
    Isteri Pengiram", "Queen"."""
    words = NameKey.of(name).words
    return len(words) == 1 and _is_honorific(words[0])


# Where a name field holds two people ("Joko Widodo & Iriana Joko Widodo", "Abdullah II
# ibn Al Hussein, Rania Al Abdullah"): the first is the giver the register puts first.
_SEVERAL = re.compile(r"\s*(?:,|&|;|\band\b)\s*")
_SPLIT_ORDINAL = re.compile(r",\s*(?=(?:I|II|III|IV|V|VI|VII|VIII|IX|X)\b)")


def first_person(text):
    """The first of the people a text names: "King Abdullah, II and Queen Rania" -> "King
    Abdullah II"."""
    text = _SPLIT_ORDINAL.sub(" ", " ".join(html.unescape(text or "").split()))
    return _SEVERAL.split(text, maxsplit=1)[0].strip()


# A spouse named after the giver: "… and Mrs. Obuchi", "… and Queen Rania al Abdullah".
_SPOUSE = re.compile(
    r"(?:\band\b|&)\s+(?P<title>(?:Mrs|Mr|Madame|Madam)\.?|Queen|Her Majesty(?: Queen)?|"
    r"Her Excellency|Her Royal Highness|First Lady)\s+(?P<name>[A-Z][^,;()&]*)"
)
# A second person after an ampersand, or (in a name column) after a comma: "Joko Widodo &
# Iriana Joko Widodo", "Abdullah II ibn Al Hussein, Rania Al Abdullah".
_SECOND = {"&": re.compile(r"&\s*(?P<name>[A-Z][^,;()&]*)"),
           ",": re.compile(r",\s*(?P<name>[A-Z][^,;()&]*)")}  # fmt: skip
_SURNAME_TITLES = ("mr", "mrs", "madame", "madam")
_TITLE_AND_SURNAME = re.compile(r"^\s*(?:Mrs|Mr|Madame|Madam)\.?\s+\S+\s*$")


def _name_part(text):
    """A name up to the office that may follow it: "Rania al Abdullah of Jordan" -> "Rania
    al Abdullah"."""
    return re.split(r"\s+(?:of|the|The)\s+", text.strip(), maxsplit=1)[0].strip(" .")


@functools.lru_cache(maxsize=100_000)
def spouse_in(text, name_column=False):
    """The second giver a mention names beside the first, as the register names them:
    "Mrs. Obuchi" for "Keizo Obuchi, The Prime Minister of Japan and Mrs. Obuchi"; "Rania
    al Abdullah" for "Their Majesties King Abdullah II and Queen Rania al Abdullah";
    "Iriana Joko Widodo" for "Joko Widodo & Iriana Joko Widodo". None for an office alone
    ("The King and Queen of Norway") or no second person."""
    text = _SPLIT_ORDINAL.sub(" ", " ".join(html.unescape(text or "").split()))
    match = _SPOUSE.search(text)
    if match:
        name = _name_part(match["name"])
        words = [fold(w) for w in name.split()]
        if words and not any(w in _OFFICE_WORDS or w in _RANKS for w in words):
            title = match["title"].rstrip(".")
            if title.lower() in _SURNAME_TITLES and len(words) == 1:
                return f"{title}. {name}" if title in ("Mr", "Mrs") else f"{title} {name}"
            return clean_name(name)
    marks = ["&"]
    if name_column and len(clean_name(text.split(",")[0]).split()) >= 2:
        marks.append(",")  # "Saeed, Mabkhoot Louteya Al Ameri" is one man
    for mark in marks:
        match = _SECOND[mark].search(text)
        if match:
            name = _name_part(match["name"])
            words = [fold(w) for w in name.split()]
            if (
                len(words) >= 2
                and not any(w in _OFFICE_WORDS or w in _RANKS or _is_honorific(w) for w in words)
                and not _BODY.search(fold(name))
                and all(w[:1].isupper() for w in name.split() if len(w) > 3)
            ):
                return clean_name(name)
    return None


@functools.lru_cache(maxsize=100_000)
def clean_name(name):
    """The name as a page should show it: entities decoded, a leading honorific (or a
    misspelt one, or a rank) dropped, only the first of several people, and a hyphen
    broken at a line's end joined again. "Kind Abdullah II" -> "Abdullah II"; "Saleha
    binti Al- Marhum" -> "Saleha binti Al-Marhum"."""
    words = _without_titles(first_person(name).split())
    while len(words) > 2 and fold(words[-1]) in _HONORIFICS:  # "… Al Saud Crown Prince"
        words = words[:-1]
    return _BROKEN_HYPHEN.sub("-", " ".join(words))


# "Al- Marhum", "Di- Pertuan": a name's hyphen the register printed at a line's end.
_BROKEN_HYPHEN = re.compile(r"(?<=\w)- (?=[A-Z])")


@dataclass(frozen=True)
class NameKey:
    words: tuple  # the folded words, particles dropped
    compact: str  # the words run together: "abdullahabdulazizsaud"
    lineage: bool = False  # "bin", "ibn": the last word names a father or a house

    @classmethod
    @functools.lru_cache(maxsize=100_000)
    def of(cls, name):
        tokens = _tokens(name)
        words = [_CANONICAL.get(w, w) for w in tokens if w not in _PARTICLES]
        if len(words) > 1 and words[0] in _ORDINALS:  # "VI Mohammed"
            words[0], words[1] = words[1], words[0]
        lineage = any(w in _LINEAGE for w in tokens)
        return cls(tuple(words), "".join(words), lineage)

    @property
    def ordinals(self):
        return {w for w in self.words[1:] if w in _ORDINALS}


def same_spelling(a, b):
    """Whether two keys spell one name: run together they differ by a letter or two, the
    first names agree, and so does any regnal number ("Abdullah II" is not "Abdullah")."""
    if not a.words or not b.words or a.ordinals != b.ordinals:
        return False
    if fuzz.ratio(a.words[0], b.words[0]) < FIRST_NAME_RATIO:
        # "Abel Al-Jubeir", "Line El Abidine Ben Ali": one letter off, in a long name.
        return len(a.compact) >= 10 and Levenshtein.distance(a.compact, b.compact) == 1
    return fuzz.ratio(a.compact, b.compact) >= SPELLING_RATIO


_VOWELS = frozenset("aeiouwy")


def _skeleton(word):
    """A word's consonants, doubles collapsed: the part that transliterations of one
    Arabic or Persian name share ("Mitib", "Mutaib", "Metieb" -> "mtb")."""
    out = []
    previous = ""
    for ch in word:
        # th, kh, sh, dh: one sound, spelt with or without the h ("Fetais", "Fathis")
        after_consonant = ch == "h" and previous and previous not in _VOWELS
        if not after_consonant and ch not in _VOWELS and (not out or out[-1] != ch):
            out.append(ch)
        previous = ch
    return "".join(out)


@functools.lru_cache(maxsize=200_000)
def same_word(a, b):
    """Whether two folded words may spell one name: equal, an initial and a word it opens,
    a letter or two apart, or one consonant skeleton ("Karimov" and "Karmiv"); regnal
    numbers only equal."""
    if a == b:
        return True
    if a in _ORDINALS or b in _ORDINALS:
        return False
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= WORD_RATIO:
        return True
    if a[0] != b[0] and not (a[0] in "aeiou" and b[0] in "aeiou"):
        return False
    if len(a) == len(b) >= 3 and a[0] == b[0] and sorted(a) == sorted(b):
        return True  # two letters swapped: "Teh", "The"
    if abs(len(a) - len(b)) > 2:  # "Abdul" is not "Abdullah"
        return False
    skeleton = _skeleton(a)
    if skeleton != _skeleton(b) or not skeleton:
        return False
    if max(len(a), len(b)) <= 4:  # "Isa", "Essa"
        return True
    # One skeleton, but not too unlike: "Mahmoud" is not "Mohamed".
    return len(skeleton) >= 2 and fuzz.ratio(a, b) >= SKELETON_RATIO


def _words_agree(short, long):
    """Whether each of the shorter list's words spells a word of the longer, in order (an
    initial stands for no word here: "Mahmoud Hegazy" does not open "Mohamed H. Tantawi")."""
    rest = iter(long)
    return all(
        any(same_word(word, other) and min(len(word), len(other)) > 1 for other in rest)
        for word in short
    )


def _opens(x, y):
    """Whether one word (four letters at least) opens the other: "Vlad", "Vladimir"."""
    short, long = sorted((x, y), key=len)
    return len(short) >= 4 and long.startswith(short)


def word_for_word(a, b, loose=False):
    """Whether two keys of as many words spell the same words, one by one; when loose, an
    initial or the start of a word stands for it too, and the words may come in another
    order ("Ellen Sirleaf Johnson")."""
    if len(a.words) != len(b.words) or len(a.words) < 2 or a.ordinals != b.ordinals:
        return False
    if loose and not (a.lineage or b.lineage) and sorted(a.words) == sorted(b.words):
        return True

    def agree(x, y):
        if loose:
            return same_word(x, y) or _opens(x, y)
        return same_word(x, y) and min(len(x), len(y)) > 1

    return all(agree(x, y) for x, y in zip(a.words, b.words, strict=True))


def starts(short, long):
    """Whether the shorter name (two words at least) opens the longer one."""
    n = len(short.words)
    return 2 <= n < len(long.words) and _words_agree(short.words, long.words[:n])


def within(short, long):
    """Whether the shorter name (two words at least) is the longer one with middle names
    (or an opening Muhammad) left out: "Ali bin Fetais Al-Marri" and "Ali bin Mohsen bin
    Fetais Al-Marri"; "Hussein Tantawy" and "Mohamed Hussein Tantawi"."""
    n = len(short.words)
    if not 2 <= n < len(long.words) <= n + MAY_LEAVE_OUT:
        return False
    if not same_word(short.words[-1], long.words[-1]):
        return False
    if short.ordinals - long.ordinals:
        return False
    first = long.words
    if not same_word(short.words[0], first[0]):
        if first[0] not in _MUHAMMAD or long.lineage:  # "Mohammed bin Salman" is not Salman
            return False
        first = first[1:]
        if not same_word(short.words[0], first[0]):
            return False
    return _words_agree(short.words[1:-1], first[1:-1])


def contains(a, b):
    """Whether one of two names is the other with words left out (starts, within)."""
    if len(a.words) > len(b.words):
        a, b = b, a
    return starts(a, b) or within(a, b)


def given_name_of(a, b):
    """Whether one of two names is a given name alone and the other that name followed by
    a lineage: "Bandar" and "Bandar bin Sultan"; "Saleha" and "Saleha binti Al-Marhum …"."""
    if len(a.words) > len(b.words):
        a, b = b, a
    return (
        len(a.words) == 1 < len(b.words)
        and b.lineage
        and len(a.compact) >= 4
        and a.compact not in _MUHAMMAD
        and same_word(a.compact, b.words[0])
    )


def surname_of(word, name):
    """Whether a spelling of one word ("Soomro") is the surname that ends a name."""
    return (
        len(word.words) == 1 < len(name.words)
        and not name.lineage
        and (
            len(word.compact) >= 5
            and word.compact not in _MUHAMMAD
            and same_word(word.compact, name.words[-1])
        )
    )


def _spelt_alike(a, b):
    """Whether two words are one word spelt a letter or two apart: stricter than
    same_word, which takes short words of one skeleton ("Saad", "Syed") for one."""
    return a == b or (min(len(a), len(b)) >= 5 and a[0] == b[0] and Levenshtein.distance(a, b) <= 2)


def shared_words(key, other):
    """How many of a key's words another key spells, an opening Muhammad and initials
    aside: what tells "Jaham Al Kuwari" from "Mohammed Kuwari" for "Mohammed Jaham Al
    Kuwari"."""
    return sum(
        1
        for word in key.words
        if len(word) > 1
        and word not in _MUHAMMAD
        and any(_spelt_alike(word, theirs) for theirs in other.words)
    )


def _sounds(key):
    """The consonant skeletons of the words a looser rule compares first: the first and the
    last word, and the second after an opening Muhammad."""
    words = key.words
    picked = {words[0], words[-1]}
    if len(words) > 1 and words[0] in _MUHAMMAD:
        picked.add(words[1])
    return {_skeleton(word) or word for word in picked}


def _identity(handle):
    """What makes two handles one leader: an id or a reference is itself; a Leader not yet
    written is the object."""
    return handle if isinstance(handle, int) else id(handle)


class NameIndex:
    """Names within each country, each with a handle (a leader, its id, a table row), and
    the rules above to find the handle a new spelling belongs to.

    Close spellings are scored over the country's names in one rapidfuzz call (C++); the
    rules written in Python read only the names that share the sound of a first or last
    word, however many names the country has; and a name that found nothing is not looked
    for again until the country gains a name."""

    def __init__(self, identity=None, weight=None):
        # Which handles are one: by default _identity, else the function given.
        self._identity = identity or _identity
        # How often a handle has been named (for the commonest of several that fit), or None
        # to take no such guess.
        self._weight = weight
        self._exact = {}  # (country, compact) -> handle
        self._keys = defaultdict(list)  # country -> [NameKey]
        self._compacts = defaultdict(list)  # country -> [compact], parallel to _keys
        self._handles = defaultdict(list)  # country -> [handle], parallel to _keys
        self._by_sound = defaultdict(list)  # (country, skeleton) -> [index into _keys]
        self._missed = {}  # (country, compact) -> the country's number of names then

    def add(self, country, name, handle):
        key = NameKey.of(name)
        if not key.compact or (country, key.compact) in self._exact:
            return
        self._exact[(country, key.compact)] = handle
        index = len(self._keys[country])
        self._keys[country].append(key)
        self._compacts[country].append(key.compact)
        self._handles[country].append(handle)
        for sound in _sounds(key):
            self._by_sound[(country, sound)].append(index)

    def find(self, country, name):
        key = NameKey.of(name)
        if not key.compact:
            return None
        found = self._exact.get((country, key.compact))
        if found is not None:
            return found
        keys = self._keys.get(country)
        if not keys or self._missed.get((country, key.compact)) == len(keys):
            return None
        found = self._find(country, key)
        if found is None:
            self._missed[(country, key.compact)] = len(keys)
        return found

    def _find(self, country, key):
        keys, handles = self._keys[country], self._handles[country]
        close = process.extract(
            key.compact,
            self._compacts[country],
            scorer=fuzz.ratio,
            score_cutoff=SPELLING_RATIO,
            limit=None,
        )
        for _compact, _score, i in close:  # the closest first
            if same_spelling(key, keys[i]):
                return handles[i]
        near = sorted(
            {i for sound in _sounds(key) for i in self._by_sound.get((country, sound), ())}
        )
        for i in near:
            if word_for_word(key, keys[i]):
                return handles[i]
        fits = defaultdict(list)  # identity -> the indexes of its names that fit
        for i in near:
            if (
                contains(key, keys[i])
                or word_for_word(key, keys[i], loose=True)
                or surname_of(key, keys[i])
                or given_name_of(key, keys[i])
            ):
                fits[self._identity(handles[i])].append(i)
        if len(fits) == 1:
            return handles[next(iter(fits.values()))[0]]
        return self._plainest(
            key, [(handles[fit[0]], [keys[i] for i in fit]) for fit in fits.values()]
        )

    def _plainest(self, key, fits):
        """Of several leaders that fit ([(handle, the names of it that fit)]), the one
        sharing more of the key's words than any other, else the one named DOMINANCE times
        as often as all the others together; or None."""
        if len(fits) < 2:
            return None
        shared = [max(shared_words(key, name) for name in names) for _handle, names in fits]
        if shared.count(max(shared)) == 1:
            return fits[shared.index(max(shared))][0]
        if self._weight is None:
            return None
        weights = [self._weight(handle) for handle, _names in fits]
        heaviest = max(weights)
        if heaviest >= DOMINANT_ROWS and heaviest >= DOMINANCE * (sum(weights) - heaviest):
            return fits[weights.index(heaviest)][0]
        return None


# --- Offices -----------------------------------------------------------------------------------

HEAD_OF_STATE = "head_of_state"
HEAD_OF_GOVERNMENT = "head_of_government"
FOREIGN_MINISTER = "foreign_minister"

_NOT_THE_OFFICE = re.compile(
    r"\b(?:vice|deputy|former|acting|crown|first lady|spouse|wife|husband|son|daughter|"
    r"brother|advis[eo]r|office of|staff|delegation|embassy|ambassador|regional|provincial|"
    r"state minister|minister of state|governor)\b|"
    r"\bpresident of the (?!republic|state|united|federal|islamic|people|arab|russian|"
    r"french|italian|swiss|palestinian|council of ministers|government)",
)
_ROLES = (
    (FOREIGN_MINISTER, re.compile(
        r"\b(?:foreign minister|minister (?:of|for) foreign affairs|secretary of state for "
        r"foreign)")),
    (HEAD_OF_GOVERNMENT, re.compile(
        r"\b(?:prime minister|premier|chancellor|president of the (?:council of ministers|"
        r"government))\b")),
    (HEAD_OF_STATE, re.compile(
        r"\b(?:president|king|amir|emir|sultan|custodian of the two holy mosques|"
        r"grand duke)\b")),
)  # fmt: skip


def office_role(text):
    """Which office of a state a mention names, if one the table lists: "The Prime
    Minister of Japan and Mrs. Obuchi" -> head of government; "Vice President …", "Crown
    Prince …", "Minister of Defence" -> None."""
    text = " ".join(fold(text).split())
    if not text or _NOT_THE_OFFICE.search(text):
        return None
    for role, pattern in _ROLES:
        if pattern.search(text):
            return role
    return None


@dataclass(frozen=True)
class Holder:
    country: str
    role: str
    office: str
    name: str
    aliases: tuple
    start: datetime.date
    end: datetime.date | None
    wikidata_id: str
    source: str

    def held_on(self, date):
        return self.start <= date and (self.end is None or date < self.end)

    def names(self):
        return (self.name, *self.aliases)


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


@functools.cache
def office_holders():
    """The bundled table, read once."""
    with OFFICE_HOLDERS.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Holder(
                country=row["country"],
                role=row["role"],
                office=row["office"],
                name=row["name"],
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
                start=_date(row["start"]),
                end=_date(row["end"]),
                wikidata_id=row["wikidata_id"],
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


# Words a mention of an office uses besides the holder's name.
_OFFICE_WORDS = _words(
    "of the and his her their excellency majesty majesties highness royal mr mrs ms madame "
    "h e hh hrh president prime minister premier chancellor king queen amir emir sultan "
    "custodian two holy mosques grand duke foreign affairs for state government "
    "republic kingdom federal federation islamic arab people s democratic socialist united "
    "hashemite sultanate emirates union commonwealth nation darussalam yang di pertuan "
    "council ministers on behalf sheikh shaikh sheik"
)


class Offices:
    """The office holders of the table, by country and role, and by name."""

    def __init__(self, holders=None):
        self.holders = defaultdict(list)
        self.names = NameIndex(identity=lambda holder: holder.name)
        self._found = {}  # (country, name) -> holder or None
        for holder in holders if holders is not None else office_holders():
            self.holders[(holder.country, holder.role)].append(holder)
            for name in holder.names():
                self.names.add(holder.country, name, holder)

    def by_name(self, country, name):
        """The table's holder a name spells, at any time (the table never changes, so each
        name is looked up once)."""
        if not name:
            return None
        key = (country, name)
        if key not in self._found:
            self._found[key] = self.names.find(country, name)
        return self._found[key]

    def on(self, country, text, date):
        """The holder of the office a mention names on the date, when the mention's other
        words all belong to the holder's names (a surname, "and Mrs. Obuchi")."""
        role = office_role(text)
        if role is None or date is None:
            return None
        holder = next((h for h in self.holders.get((country, role), ()) if h.held_on(date)), None)
        if holder is None:
            return None
        own = {w for name in holder.names() for w in NameKey.of(name).words}
        for word in self._other_words(country, text):
            if len(word) > 2 and not process.extractOne(
                word, own, scorer=fuzz.ratio, score_cutoff=85
            ):
                return None
        return holder

    def _other_words(self, country, text):
        words = _country_words(country)
        return [
            w
            for w in fold(html.unescape(text)).split()
            if w not in _OFFICE_WORDS and w not in words and w not in _PARTICLES
        ]


@dataclass
class Person:
    """Who a party is, as the leader to find or create: the name, and what the table adds.
    A person read out of a register's words rather than its name field only finds a
    leader, unless the words are plainly a name (create False)."""

    name: str
    spelling: str  # the register's own spelling, kept as an alias
    wikidata_id: str = ""
    office: str = ""  # the table's office, when the mention gave only that
    create: bool = True
    kind: str = PERSON  # or BODY: a government, ministry, embassy or other body
    loose: bool = True  # False: found by its very name only ("Mrs. Obuchi")


# Words that make a mention a body, not a person: "Government of …", "Embassy of …".
_BODY = re.compile(
    r"\b(?:government|ministry|embassy|republic|kingdom|state|office|university|bureau|"
    r"delegation|forces?|army|navy|police|unknown|official|council|committee|institute|"
    r"agency|court|assembly|party|bank|company|association|foundation|school|college|"
    r"people|city|province|department|directorate|command|headquarters)\b"
)


@functools.lru_cache(maxsize=100_000)
def name_in_text(text):
    """The name a mention with no name field gives, when a part of it plainly names a
    person: "His Majesty Sultan Haji Hassanal Bolkiah …, Sultan and Yang Di-Pertuan of
    Brunei" -> "Hassanal Bolkiah …"; "Minister of Defense, Field Marshal Tantawy, Egypt"
    -> "Tantawy". None for bodies and for offices alone."""
    parts = re.split(r",|;|\s-+\s|\(|\)", html.unescape(text or ""))
    for part in parts[:3]:
        words = clean_name(part).split()
        folded = [fold(w) for w in words]
        if "of" in folded:  # "… Sultan of Brunei": the office, after the name
            words, folded = words[: folded.index("of")], folded[: folded.index("of")]
        while folded and folded[-1] in _OFFICE_WORDS:
            words, folded = words[:-1], folded[:-1]
        name = " ".join(words)
        if not 1 <= len(words) <= 16 or folded[0] in _OFFICE_WORDS or _BODY.search(fold(name)):
            continue
        if len(words) == 1 and (len(name) < 5 or _is_honorific(folded[0]) or not name.istitle()):
            continue
        return name
    return None


# Words that name a state's government whatever the country: "The Government of the
# Kingdom of Saudi Arabia", "Hashemite Kingdom of Jordan", "State of Qatar".
_GOVERNMENT_WORDS = _words(
    "the of government kingdom republic state states islamic hashemite people s peoples "
    "federal united arab sultanate democratic socialist plurinational bolivarian union "
    "federation commonwealth emirate emirates principality grand duchy great britain "
    "northern ireland and"
)
# Signs that a donor text names a person (perhaps unnamed), not a body.
_PERSON_SIGNS = re.compile(
    r"\b(?:his|her|their|mr|mrs|ms|dr|excellency|majesty|majesties|highness|general|colonel|"
    r"admiral|ambassador|president|prime minister|minister|king|queen|prince|princess|"
    r"sheikh|shaikh|amir|emir|sultan|official|officials|representatives?|spouse|wife|"
    r"delegation|chief|commander|director|chairman|secretary|governor|mayor|unknown|"
    r"employees?|staff|members?)\b"
)


@functools.lru_cache(maxsize=100_000)
def body_name(country, text):
    """The body a donor text names, as one name per body: "Government of Saudi Arabia" for
    "The Government of the Kingdom of Saudi Arabia" and for "Kingdom of Saudi Arabia";
    "Embassy of Oman", "Ministry of Foreign Affairs of Japan"; any other body as written
    ("Bundestag/Bundesrat"). None when the text names a person, or nothing."""
    head = _head(text)
    folded = fold(head)
    if not folded or _PERSON_SIGNS.search(folded):
        return None
    country_name = _country_name(country)
    if country_name in _NAMES_WITH_THE:
        country_name = f"the {country_name}"
    words = folded.split()
    if "embassy" in words:
        return f"Embassy of {country_name}"
    if "ministry of foreign affairs" in folded or "foreign ministry" in folded:
        return f"Ministry of Foreign Affairs of {country_name}"
    stem = _country_stem(country)
    rest = [
        w
        for w in words
        if w not in _GOVERNMENT_WORDS
        and w not in _country_words(country)
        and not (stem and w.startswith(stem))
    ]
    if not rest:
        return f"Government of {country_name}"
    if not _BODY.search(folded):
        return None
    words = head.split()
    if len(words) > 1 and fold(words[0]) == "the":
        words = words[1:]
    return " ".join(words)


# Country names said with "the": "the Government of the United Kingdom".
_NAMES_WITH_THE = frozenset(
    [
        "United Kingdom",
        "United States of America",
        "United Arab Emirates",
        "Netherlands",
        "Philippines",
        "Bahamas",
        "Gambia",
        "Maldives",
        "Comoros",
        "Seychelles",
        "Czechia",
        "Dominican Republic",
        "Central African Republic",
        "Marshall Islands",
        "Solomon Islands",
        "Holy See",
    ]  # fmt: skip
)


def _head(text):
    """A donor text up to its first comma: "Government of Bahrain, Manama" -> "Government
    of Bahrain"."""
    return " ".join(re.split(r",|;|\(", html.unescape(text or ""), maxsplit=1)[0].split())


def _country_stem(country):
    """The start of a one-word country name, which its adjective shares: "Egypt",
    "Egyptian"; "Gabon", "Gabonese"."""
    words = _country_words(country)
    return next(iter(words))[:5] if len(words) == 1 and len(next(iter(words))) >= 4 else ""


class Resolver:
    """A party's person: its name cleaned, or the office holder its office and date give;
    a table holder under the table's name."""

    def __init__(self, offices=None):
        self.offices = offices or _default_offices()

    def person(self, party, date=None):
        if not party.country:
            return None
        body = body_name(party.country, party.name)
        if body:  # a register that puts a body in the name column: "Saudi Arabia"
            return Person(body, _head(party.name), kind=BODY)
        if _TITLE_AND_SURNAME.match(party.name):  # "Mrs. Obuchi": a spouse, unnamed
            name = " ".join(party.name.split())
            return Person(name, name, loose=False)
        name = self._without_country(party.country, clean_name(party.name))
        if name and not only_titles(name):
            holder = self.offices.by_name(party.country, name)
            if holder is None and len(name.split()) == 1:
                # "King Abdullah", "President Karzai": one word beside an office is the
                # holder of that office on the day, when the word is part of their name.
                mention = first_person(party.as_reported or party.name)
                holder = self.offices.on(party.country, mention, date)
            if holder is not None:
                return Person(holder.name, name, holder.wikidata_id)
            return Person(name, name)
        text = party.title or party.as_reported
        holder = self.offices.on(party.country, party.as_reported or text, date)
        if holder is not None:
            return Person(holder.name, holder.name, holder.wikidata_id, holder.office)
        name = name_in_text(party.as_reported)
        if name and not set(fold(name).split()) <= _country_words(party.country):
            holder = self.offices.by_name(party.country, name)
            if holder is not None:
                return Person(holder.name, name, holder.wikidata_id)
            return Person(name, name, create=plainly_a_name(name))
        body = body_name(party.country, party.as_reported)
        if body:
            return Person(body, _head(party.as_reported), kind=BODY)
        return None

    def spouse(self, party):
        """A party for the second giver the party's text names beside it (a spouse,
        mostly), or None: "Mrs. Obuchi" beside "Keizo Obuchi, The Prime Minister of Japan
        and Mrs. Obuchi". Never the giver again ("His Excellency and Mrs. Yukio
        Hatoyama")."""
        name = spouse_in(party.name, name_column=True) if party.name else None
        name = name or spouse_in(party.as_reported)
        if not name:
            return None
        if not _TITLE_AND_SURNAME.match(name):
            own = set(NameKey.of(clean_name(party.name) or party.as_reported).words)
            if set(NameKey.of(name).words) <= own:
                return None
        return Party(name=name, country=party.country, as_reported=name)

    @staticmethod
    def _without_country(country, name):
        """The name without the country a register wrote into it: "Egyptian Field Marshal
        Hussein Tantawy", "Karimov Uzbekistan"."""
        words = name.split()
        if len(words) < 2:
            return name
        country_words = _country_words(country)
        stem = _country_stem(country)
        if stem and fold(words[0]).startswith(stem):
            words = words[1:]
            name = clean_name(" ".join(words))
            words = name.split()
        while len(words) > 1 and fold(words[-1]) in country_words:
            words = words[:-1]
        return " ".join(words)


@functools.cache
def _country_name(country):
    from django_countries import countries

    return str(countries.name(country))


@functools.cache
def _country_words(country):
    return frozenset(fold(_country_name(country)).split())


@functools.cache
def _default_offices():
    return Offices()


class LeaderBook:
    """The leaders an import names: the ones that exist, the ones it queues, and the
    spellings each is known by. Both writers keep one; a handle is whatever the writer
    names a leader by (a Leader, or an id and a negative reference for a queued one).

    A public register's party goes through the Resolver and the NameIndex; the registry's
    own format names its leaders exactly as it exported them, so it matches names only
    as written (folded), and an editor's split of two leaders survives a round trip.
    Bodies are found by their name only, never by the rules for people's names."""

    def __init__(self, resolve):
        self.resolver = Resolver() if resolve else None
        self.named = defaultdict(int)  # identity of a handle -> the rows naming it
        # The loose matching of people's names, for a public register's parties only.
        self.index = (
            NameIndex(weight=lambda handle: self.named[_identity(handle)]) if resolve else None
        )
        self.exact = {}  # (country, folded name) -> handle
        self.spellings = defaultdict(set)  # identity of a handle -> folded names it has
        self.aliases_added = {}  # identity -> (handle, [spellings added by this import])
        self.bodies = set()  # identities of the handles that are bodies
        self._spouses = {}  # id(party) -> (party, the spouse's party or None)

    def add(self, country, names, handle, kind=PERSON, named=0):
        """Know a leader by its names; named: how many gifts already name it."""
        identity = _identity(handle)
        self.named[identity] += named
        if kind == BODY:
            self.bodies.add(identity)
        for name in names:
            if name:
                self.exact.setdefault((country, fold(name)), handle)
                if kind != BODY and self.index is not None:
                    self.index.add(country, name, handle)
                self.spellings[identity].add(fold(name))

    def person(self, party, date=None):
        """Who the party is, or None when it names no one the registry can tell."""
        if not party.country:
            return None
        if self.resolver is None:
            if not party.name:
                return None
            kind = BODY if body_name(party.country, party.name) == party.name else PERSON
            return Person(party.name, party.name, kind=kind)
        return self.resolver.person(party, date)

    def leader(self, party, date=None, make=None):
        """The handle of the leader the party names, or None. When none is known yet,
        make(person) gives the handle of a new one (a writer queues the leader), which the
        book then knows by its name and spelling; without make, nothing is made."""
        person = self.person(party, date)
        if person is None:
            return None
        handle = self.find(party.country, person)
        if handle is None and make is not None and person.create:
            handle = make(person)
            self.add(party.country, [person.name], handle, person.kind)
            self.note_spelling(party.country, handle, person.spelling)
        if handle is not None and make is not None:
            self.named[_identity(handle)] += 1
        return handle

    def spouse(self, party):
        """The party of the second giver the party names beside it, or None; the same
        object each time it is asked, so a writer resolves it once."""
        if self.resolver is None or not party.country:
            return None
        known = self._spouses.get(id(party))
        if known is None or known[0] is not party:
            known = self._spouses[id(party)] = (party, self.resolver.spouse(party))
        return known[1]

    def find(self, country, person):
        """The handle of the person's leader, or None; a new spelling of a known leader is
        noted as an alias to add. A leader already known by the very spelling comes first:
        an editor's split or rename outranks the rules and the table."""
        handle = self.exact.get((country, fold(person.spelling)))
        if handle is None:
            handle = self.exact.get((country, fold(person.name)))
        if handle is None and self.index is not None and person.kind == PERSON and person.loose:
            handle = self.index.find(country, person.name)
        if handle is not None:
            self.note_spelling(country, handle, person.spelling)
        return handle

    def note_spelling(self, country, handle, spelling):
        identity = _identity(handle)
        folded = fold(spelling)
        if folded and folded not in self.spellings[identity]:
            self.spellings[identity].add(folded)
            self.exact.setdefault((country, folded), handle)
            if self.index is not None and identity not in self.bodies:
                self.index.add(country, spelling, handle)
            self.aliases_added.setdefault(identity, (handle, []))[1].append(spelling)


def gifts_naming(country=None):
    """{leader id: how many gifts name it as giver, recipient or second giver}, for the
    leaders of one country or of all: what the book weighs leaders that fit a spelling
    equally well by."""
    from django.db.models import Count

    from ..models import Gift

    named = defaultdict(int)
    for side in ("giver", "recipient", "co_giver"):
        gifts = Gift.objects.filter(**{f"{side}__isnull": False})
        if country is not None:
            gifts = gifts.filter(**{f"{side}__country": country})
        for pk, count in gifts.values_list(side).annotate(count=Count("pk")).order_by():
            named[pk] += count
    return named


def save_spellings(leaders, *, user=None, reason=""):
    """Write the aliases an import gave leaders that were there before it (their search
    text with them), each with one history row; returns how many changed."""
    from ..models import Leader
    from ..text import fold_all

    for leader in leaders:
        leader.search_text = fold_all(*leader.all_names())
    if leaders:
        Leader.objects.bulk_update(leaders, ["aliases", "search_text"], batch_size=500)
        Leader.history.bulk_history_create(
            leaders, update=True, default_user=user, default_change_reason=reason
        )
    return len(leaders)


def keep_latest_offices(batch, *, user=None, reason=""):
    """Each leader named by the batch's gifts takes, as its title, the office its gifts of
    the latest year give (the longest, where they give several): "King of Saudi Arabia",
    not the governorship its first gift named. A title that none of the leader's gifts
    gives is an editor's, and stays."""
    from django.db.models import Q

    from ..models import Gift, Leader

    gifts = Gift.objects.filter(Q(import_batch=batch) | Q(register_entries__batch=batch))
    touched = set()
    for giver, recipient in gifts.values_list("giver_id", "recipient_id").order_by().distinct():
        touched.update(pk for pk in (giver, recipient) if pk)
    offices = defaultdict(list)  # leader id -> [(year, length, title)]
    for side in ("giver", "recipient"):
        rows = (
            Gift.objects.filter(**{f"{side}_id__in": touched})
            .exclude(**{f"{side}_title": ""})
            .values_list(f"{side}_id", "date", f"{side}_title")
        )
        for pk, date, title in rows.iterator(chunk_size=5000):
            offices[pk].append(((date or datetime.date.min).year, len(title), title))
    changed = []
    for leader in Leader.objects.filter(pk__in=offices).only("pk", "title"):
        held = offices[leader.pk]
        latest = max(held)[2]
        if leader.title != latest and (not leader.title or leader.title in {t for *_, t in held}):
            leader.title = latest
            changed.append(leader)
    if changed:
        Leader.objects.bulk_update(changed, ["title"], batch_size=500)
        Leader.history.bulk_history_create(
            list(Leader.objects.filter(pk__in=[leader.pk for leader in changed])),
            update=True,
            default_user=user,
            default_change_reason=reason,
        )
    return len(changed)
