"""Titles for gifts, written from what a register says of them.

A register describes a gift at length: "Rug—DB#069a BC 992463A—Egyptian, polished cotton,
24 x 22 = 528 knots per square inch, displaying rectilinear …". The registry's title is the
object's name ("Rug"), and the register's words stay whole in the description and,
verbatim, under "As recorded by". A title is never a cut-off fragment: an entry naming
more objects than fit ends "and 3 other items", and a name too long to fit is cut where a
phrase ends. Nor does it carry a value, a barcode or a dimension.

Every pattern runs in time linear in its input (tests/test_titles.py feeds each a crafted
1 MB cell), and only the head of a description is read for a name.
"""

import functools
import re

TITLE_LENGTH = 90  # the whole title
NAME_LENGTH = 70  # one object's name within it
NAME_SCAN = 400  # a name is at the head of its object's description: no more is read
LIST_SCAN = 1000  # nor is a list of objects in one sentence longer than this
MOST_OBJECTS = 100  # objects after these are counted, not read


def _words(text):
    return frozenset(text.split())


# --- Marks -----------------------------------------------------------------------------------

# After a number of at most three digits (a year is not a length): inches and feet.
_INCH = re.compile(
    r"(?<=\d)(?<!\d\d\d\d)\s?(?:''|\"|”)(?=[\s,;.)xX×-]|$|(?:diameter|dia|[whdlWHDL])\b)"
)
_FOOT = re.compile(
    r"(?<=\d)(?<!\d\d\d\d)(?:'|’|\[foot\])(?=\s*(?:\d|[xX×]|$|[,;.)]))|(?<=\d)\[foot\]"
)
_FOOT_AFTER_X = re.compile(r"([xX×]\s?\d{1,3}(?:\.\d+)?)(?:'|’)")
_QUOTE_PAIR = re.compile(r"''([^'\n]{1,300}?)''")


def tidy_marks(text):
    """Inch and foot marks as the signs themselves, two apostrophes as quotation marks:
    '17.5" necklace' -> '17.5″ necklace', "8' x 10' rug" -> "8′ x 10′ rug",
    "''Title''" -> '“Title”'."""
    if "'" in text or '"' in text or "”" in text or "’" in text or "[foot]" in text:
        text = _INCH.sub("″", text)
        text = _FOOT_AFTER_X.sub(r"\1′", _FOOT.sub("′", text))
        text = _QUOTE_PAIR.sub(r"“\1”", text)
    return text


# --- Register artefacts ----------------------------------------------------------------------

# Catalogue numbers and codes: "<greek-i>073", "Barcode 992470", "DB#069a", "BC 992463A",
# "Murex <greek-i> ISC673", and the amounts some cells carry: "($265.00)", "(N/ V)", ", $450".
_ARTEFACTS = re.compile(
    r"<[a-z][a-z-]{0,20}>\s*\w*"
    r"|\bBar\s?code\s*#?\s*\w+"
    r"|\bDB\s*#?\s*\w*\d\w*"
    r"|\bBC\s*\d\w*"
    r"|\b(?:Model|Serial)\s*(?:No\.?|Number|#)?\s*[:#]?\s*[A-Z.-]{0,6}\s?\d[\w./-]*(?:\s\d[\w./-]*)*"
    r"|\bRs\.?\s?\d[\d,.]*"
    r"|\bNo\.\s?[A-Z]{0,3}\d[\w./,-]*(?:\s\d[\w./,-]*)?"
    r"|\(\s*\$[^()]{0,40}\)|\(\s*N\s*/\s*V\s*\)"
    r"|,?\s*\$\s*[\d,.]+(?:\s*(?:each|USD|US))?"
    r"|\[?\s*FR Doc\b.*$",
    re.IGNORECASE,
)
# Measurements: "76″ x 49″", "(11″ x 34″)", "24 x 22", "18 karat", "5 1/2 in.", "30 cm".
_NUMBER = r"(?:\d+\s?[/⁄]\s?\d+|\d+(?:[.,]\d+)?(?:[\s-]\d+\s?[/⁄]\s?\d+)?)[½¼¾⅓⅔⅛]?"
_UNIT = r"(?:″|′|\s?(?:cm|mm|in\b\.?|inch(?:es)?|ft\b\.?|feet|foot|m\b)(?![A-Za-z]))"
_DIM = (
    rf"{_NUMBER}\s*{_UNIT}"
    r"(?:\s*(?:height|width|depth|length|high|wide|long|deep|tall|diameter|dia|[hwld])\b\.?)?"
)
_MEASURE = re.compile(
    rf"\(\s*{_NUMBER}\s*(?:{_UNIT}|(?=\s*[xX×]))(?:\s*[xX×]\s*{_NUMBER}\s*{_UNIT}?){{0,3}}\s*\)"
    rf"|(?<![\w.]){_DIM}(?:\s*(?:[xX×]|by)\s*(?:{_DIM}|{_NUMBER})){{0,3}}"
    rf"|(?<![\w.]){_NUMBER}\s*[xX×]\s*{_NUMBER}(?:\s*[xX×]\s*{_NUMBER}){{0,2}}"
)

# --- Names -----------------------------------------------------------------------------------

# A list marker or a note of whom a part is for: "(1) ", "a) ", "2. ", "For the President: ".
_LEAD = re.compile(
    r"^(?:\(?\d{1,2}[.):]|\(?[a-z]\)|\(?[ivx]{1,4}\)|[-–•*]+)\s*"
    r"|^For (?:the |Mrs?\.? |Ms\.? |Dr\.? )?[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}\s*(?::|(?=\())\s*",
)
# A register's heading before a colon ("Household item: …", "Jewelry: …", "TRAVEL: …")
# says what kind of gift it is, not what the gift is; another label ("Tea set: …",
# "Scarves (5): …") is the gift's own name.
_LABEL = re.compile(r"^([A-Za-z][A-Za-z' /&-]{1,40}?)\s*(\(\d+\))?\s*:\s*")
_KINDS = frozenset((
    "accessory", "accessories", "apparel", "art", "artwork", "artworks", "beverage",
    "beverages", "clothing", "clothing item", "clothing items", "collectable", "collectables",
    "collectible", "collectibles", "decor", "decorative", "decorative item",
    "decorative items", "description", "desk accessory", "desk accessories", "electronic",
    "electronics", "equipment", "food", "foodstuff", "gift", "gift of travel", "gifts",
    "home accessory", "home decor", "household", "houshold", "item", "items", "jewellery",
    "jewelry", "memorabilia", "misc", "misc.", "miscellaneous", "object", "objects",
    "office accessory", "other", "personal", "ranch equipment", "souvenir", "souvenirs",
    "sports equipment", "textile", "textiles", "toy", "toys",
))  # fmt: skip
# A title of a work, kept with the object's name: "Book entitled “The Railway Children”".
# Either the work says so ("entitled", "title:") or its name is a work's ("Book: “…”").
_WORKS = (
    r"(?:book|books|album|dvd|cd|painting|print|poster|photograph|photo|map|game|film|vinyl|"
    r"novel|magazine|volume|record)"
)
_BINDING = r"(?:[\s,:]*(?:hardcover|paperback|softcover))*"
_WORK_TITLE = re.compile(
    rf"^(?:(?P<name>[^“\"',:(]{{1,40}}?)(?:\s*\([^()]{{0,40}}\))?{_BINDING}[\s,:]*"
    r"(?:entitled|titled|title|called|named)"
    rf"|(?P<work>[^“\"',:(]{{0,30}}?\b{_WORKS})\b(?:\s*\([^()]{{0,40}}\))?{_BINDING})[\s,:]*"
    r"(?P<title>“[^”]{1,80}”|\"[^\"]{1,80}\"|'[^']{1,80}')",
    re.IGNORECASE,
)
# The same without quotation marks: "Coffee table book, title: Defenders of Pakistan",
# "Book: Mam jalal, …".
_WORK_NAMED = re.compile(
    rf"^(?:(?P<name>[^“\"',:(]{{1,40}}?){_BINDING}[\s,:]*(?:entitled|titled|title)\b\s*:?"
    rf"|(?P<work>[^“\"',:(]{{0,30}}?\b{_WORKS})\b{_BINDING}\s*:)\s*(?P<title>[^\s“\"'].*)",
    re.IGNORECASE,
)
WORK_NAME_LENGTH = 50  # a work's unquoted title longer than this is left to the description
# Where a name ends and its description begins.
_NAME_END = re.compile(
    r"\s*(?:,(?!\d)|--|—|–\s|\s-\s|:|\[|/\s|(?-i:\sw/)"
    r"|\s(?:with|having|depicting|featuring|showing|displaying|portraying|holding|"
    r"consisting|containing|comprising|"
    r"bearing|reading|that|which|measuring|approximately|approx\.?|set in|in an?|in the|"
    r"on an?|on the|accompanied|along|plus|including|includes|from the|valued|appraised|"
    r"est\.|estimated)\b"
    # A participle begins a description when a preposition follows: "mounted on", "signed
    # by", "made in" (but "mounted mother-of-pearl" and "hand carved box" are names).
    r"|\s(?:\w+ly\s)?(?:decorated|embellished|inlaid|inscribed|engraved|embossed|mounted|"
    r"housed|stamped|marked|encased|framed|wrapped|presented|packaged|displayed|signed|"
    r"autographed|made|constructed|crafted|painted|carved|woven|printed|embroidered|"
    r"produced|designed|created|handmade|hand-made|given|received|purchased|bought|used|worn|"
    r"topped|filled|covered|lined|trimmed|edged|studded|adorned|encrusted|fitted|bound|"
    r"comprised|checkered|patterned|colored|coloured|accented|highlighted|detailed)"
    r"\s(?:with|by|in|on|of|from|into|onto|at|as|to|for|“|\")"
    r"|\s\w+ly\s\w+ed\b|\sduly\b|\seach\s(?=\w+ing\b))",
    re.IGNORECASE,
)
# An aside in brackets, dropped from a name: "(swiss made)", "(burnt wood)"; not a count.
_ASIDE = re.compile(r"\s*\((?!\d+\))[^()]{0,80}\)")
# Punctuation and space before a closing quote: "“Lacas Mexicanas ”", "'Art and Nature,'".
_BEFORE_CLOSING_QUOTE = re.compile(r"[\s,;.]+(?=[”\"'](?:\s|$))")
_QUOTED = re.compile(r"(“[^”]*”|\"[^\"]*\")")
_WRISTWATCH = re.compile(r"(?i)\bw/\s?watch")
# What some cells list after the objects: the register's own fields, not another object.
_NOT_OBJECT = re.compile(
    r"(?i)^\s*(?:dates?|held\b.*|rec'?d\b.*|received\b.*|est\.?\s*value\b.*|value\b.*|"
    r"location\b.*|disposition\b.*|reported to\b.*)\s*$"
)
_COLOURS = _words(
    "black white red green blue yellow orange pink purple brown grey gray gold golden silver "
    "ivory beige tan navy maroon turquoise cream bronze copper multicolored multicoloured "
    "multi-colored dark light bright pale"
)
_SMALL_WORDS = _words("a an and as at by for from in into of on or the to with w/ plus")


def _cut_name(text):
    """The name at the head of an object's description: up to where the description of it
    begins, not inside quotation marks, and not after a lone colour ("green, pink and
    red-beaded necklace")."""
    start = 0
    while True:
        match = _NAME_END.search(text, start)
        if not match:
            return text
        before = text[: match.start()]
        if before.count("“") > before.count("”") or before.count('"') % 2:
            start = match.end()  # inside a quotation
            continue
        segment = [w for w in before.rsplit(",", 1)[-1].lower().split() if w not in ("a", "an")]
        if match.group().strip() == "," and len(segment) == 1 and segment[0] in _COLOURS:
            start = match.end()  # "gold, yellow, green, and red plate"
            continue
        if any(word.lower() not in _SMALL_WORDS for word in before.split()):
            return before
        if before.strip():  # "A heavily decorated robe": no name yet
            start = match.end()
            continue
        text = text[match.end() :]
        start = 0


# Where a phrase of a long name ends: before "of …", "by …", "and …".
_PHRASE_BREAK = re.compile(
    r"\s(?=(?:of|on|in|at|among|from|for|by|to|under|over|near|and|with|between|after|"
    r"before|during|commemorating|celebrating|representing|depicting)\s)",
    re.IGNORECASE,
)


def _shorten(name, limit):
    """A name within `limit` characters, cut where a phrase ends ("… by South African
    artist …" -> "…"), else between words; never on a small word or inside a quotation."""
    if len(name) <= limit:
        return name
    breaks = [m.start() for m in _PHRASE_BREAK.finditer(name, 0, limit + 1)]
    breaks = [at for at in breaks if at >= limit // 3]
    if breaks:
        name = name[: breaks[-1]]
    else:
        name = name[: limit + 1].rsplit(" ", 1)[0] if " " in name[: limit + 1] else name[:limit]
    if name.count("“") > name.count("”"):  # never half a quoted title
        name = name[: name.rindex("“")]
    words = name.split()
    while len(words) > 1 and (words[-1].lower() in _SMALL_WORDS or not re.search(r"\w", words[-1])):
        words.pop()
    return " ".join(words).rstrip(' ,;:-–—“"(')


def _capitals_lowered(text):
    """'GOLD WATCH' -> 'gold watch'; text in mixed case, or a short code ("CD"), is kept."""
    letters = sum(c.isalpha() for c in text)
    if letters > 10 and sum(c.isupper() for c in text) > 0.6 * letters:
        return text.lower()
    return text


def object_name(text):
    """The short name of one object from its description, or "" when it gives none."""
    return _object_name(text[:NAME_SCAN])


@functools.lru_cache(maxsize=50_000)  # two transcriptions of one register repeat them
def _object_name(text):
    if _NOT_OBJECT.match(text):
        return ""
    text = " ".join(tidy_marks(text).split())
    text = _WRISTWATCH.sub("wristwatch", _ARTEFACTS.sub(" ", text))
    text = _MEASURE.sub(" ", text)
    text = "".join(  # an aside, but not inside a quoted title: “At Parika Stelling (Guyana)”
        part if i % 2 else _ASIDE.sub(" ", part) for i, part in enumerate(_QUOTED.split(text))
    )
    text = " ".join(text.split())
    for _ in range(3):  # "(1) For the President: Household item: …"
        lead = _LEAD.match(text)
        label = _LABEL.match(text)
        if lead and lead.end():
            text = text[lead.end() :]
        elif label:
            kind = label.group(1).strip().lower()
            if kind == "travel":
                return "Travel expenses"
            if kind in _KINDS or kind.startswith("for ") or kind.endswith((" item", " items")):
                text = text[label.end() :]
            elif _WORK_TITLE.match(text) or _WORK_NAMED.match(text):
                break  # "Hardcover book: “Cuisine from Sweden's West at its Best”"
            else:
                count = f" {label.group(2)}" if label.group(2) else ""
                text = label.group(1).strip() + count
                break
        else:
            break
    name = _cut_name(text)
    work = _WORK_TITLE.match(text)
    if work:
        name = f"{(work.group('name') or work.group('work')).strip(' ,:')} {work.group('title')}"
    elif work := _WORK_NAMED.match(text):
        title = _cut_name(work.group("title")).strip(" ,;:.")
        if title and len(title) <= WORK_NAME_LENGTH:
            name = f"{(work.group('name') or work.group('work')).strip(' ,:')}: {title}"
    words = name.strip(" ,;:.-–—/").split()
    while words and (words[-1].lower() in _SMALL_WORDS or words[-1] == "&"):
        words.pop()
    name = _BEFORE_CLOSING_QUOTE.sub("", " ".join(words).strip(" ,;:.-–—/"))
    if not re.search(r"[A-Za-z\u00c0-\U0002ffff]", name):
        return ""
    return _capitals_lowered(_shorten(name, NAME_LENGTH))


# A price after each object of a list: "Silver Dish ($265.00), Plaque (N/ V) and Gold
# Bracelet ($1240.00)".
_PRICE = re.compile(r"\(\s*(?:\$[^()]{0,40}|N\s*/\s*V)\)")
_LIST_JOIN = re.compile(r"^[\s,;]*(?:Reported to GSA(?: for Purchase)?\s*)?(?:and\s+|&\s*)?")


# A list of objects named in one sentence: "Gucci travel bag, Apple iPad Pro, Apple Magic
# Keyboard, and Apple Pencil"; read up to where a description would begin.
_LIST_HEAD = re.compile(r"^[^(:;—\[]*?(?=[(:;—\[]|--|$)")


def listed(text, needs_and=True):
    """The objects of a sentence that lists several, each in a few words and, where
    `needs_and`, the last after "and"; None when the sentence is not such a list ("Black,
    brown, and red rug" is one object; so are "Painting, oil on canvas, …" and "Silver
    set with a necklace, bracelet and ring")."""
    head = _LIST_HEAD.match(text[:LIST_SCAN]).group()
    if len(head) == LIST_SCAN:
        return None  # a list longer than any title: read as one object
    parts = [part.strip() for part in head.split(",")]
    if needs_and and (len(parts) < 3 or not parts[-1].startswith(("and ", "& "))):
        return None
    if len(parts) < 2 or any(c.isdigit() for c in head):
        return None
    if parts[-1].startswith(("and ", "& ")):
        parts[-1] = parts[-1].split(" ", 1)[1]
    elif " and " in parts[-1]:  # "Watch, baseball, book and sunglasses"
        parts[-1:] = parts[-1].split(" and ", 1)
    if any(not 1 <= len(part.split()) <= 8 for part in parts):
        return None
    if any(all(word.lower() in _COLOURS for word in part.split()) for part in parts):
        return None
    if any(_NAME_END.search(part) for part in parts[:-1]):
        return None
    return parts


def _split_objects(texts):
    """Each object of the entry: a list with a price after each object, or a sentence
    listing objects, is taken apart."""
    for text in texts:
        parts = _PRICE.split(text)
        if len(parts) > 2:
            yield from (_LIST_JOIN.sub("", part) for part in parts)
        else:
            yield from listed(text) or [text]


# The first words of a name that read in lower case inside a list: "Silk tie, two
# leather wallets and a pen" (a brand or a place keeps its capital).
_COMMON_FIRST = _COLOURS | _words(
    "a an one two three four five six seven eight nine ten twelve pair pairs set sets box "
    "boxes bottle bottles book books framed large small assorted various silver wooden "
    "leather crystal glass ceramic porcelain bronze brass copper marble handmade "
    "hand-made traditional decorative carved painted photo photograph painting portrait "
    "statue statuette sculpture vase plate bowl tray rug carpet scarf tie watch pen "
    "necklace bracelet ring earrings cufflinks perfume cologne wallet bag shawl"
)


def _in_list(name):
    first, *rest = name.split()
    content = [word for word in rest if word.lower() not in _SMALL_WORDS]
    title_case = 2 * sum(word[:1].isupper() for word in content) > len(content)
    if (
        not title_case
        and (first[1:].islower() or len(first) == 1)
        and first.lower() in _COMMON_FIRST
    ):
        return name[:1].lower() + name[1:]
    return name


def _joined(names, others):
    """'A', 'A and B', 'A, B and C', 'A, B and 3 other items'."""
    names = [names[0], *map(_in_list, names[1:])]
    if others:
        names = [*names, f"{others:,} other item" + ("s" if others > 1 else "")]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def gift_title(objects):
    """One title for an entry naming `objects` (each a description of one object):
    "Silver vase", "Rolex watch, cufflinks and pen", "Perfume, wallet and 4 other items";
    at most TITLE_LENGTH characters."""
    names, seen, uncounted = [], set(), 0
    for number, text in enumerate(_split_objects(objects)):
        if number >= MOST_OBJECTS:
            uncounted += 1
            continue
        name = object_name(text)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    if not names:
        return ""
    # Only as many names as could fit are tried, however many the entry lists.
    fitting, length = 1, len(names[0])
    while fitting < len(names) and length + len(names[fitting]) <= TITLE_LENGTH:
        length += len(names[fitting]) + 2
        fitting += 1
    for shown in range(fitting, 0, -1):
        title = _joined(names[:shown], len(names) - shown + uncounted)
        if len(title) <= TITLE_LENGTH:
            break
    else:  # one name and "and 12,345 other items"
        others = _joined(["-"], len(names) - 1 + uncounted)[1:]
        title = _shorten(names[0], TITLE_LENGTH - len(others)) + others
    return title[:1].upper() + title[1:]
