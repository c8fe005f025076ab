"""Leaders who may be the same person, ranked by evidence, for an editor to merge.

Imports create a leader for each spelling a register uses: "King Abdullah II", "Kind
Abdullah II" and "Abdullah II bin Al-Hussein" are one king. Within each country, names are
compared without their forms of address and titles (misspelled ones too) and without case,
accents and punctuation; a pair is listed when the names are alike (rapidfuzz's
token-sort ratio, or one name's words all within the other's), most alike first, then the
pair with more gifts. The evidence says why; merging stays an editor's decision.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from rapidfuzz import fuzz

from ..models import Leader
from ..text import fold

ALIKE_AT = 88  # token-sort ratio at or above which two names are listed
# Forms of address and titles written before or in names, folded ("kind" is a register's
# misprint of "king").
TITLE_WORDS = frozenset(
    [
        "his",
        "her",
        "their",
        "majesty",
        "majesties",
        "highness",
        "highnesses",
        "excellency",
        "excellencies",
        "royal",
        "hrh",
        "hm",
        "he",
        "h",
        "e",
        "the",
        "honorable",
        "honourable",
        "hon",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "lord",
        "lady",
        "dame",
        "madame",
        "king",
        "kind",
        "queen",
        "prince",
        "princess",
        "crown",
        "sheikh",
        "shaikh",
        "sheik",
        "sheikha",
        "emir",
        "amir",
        "sultan",
        "president",
        "prime",
        "minister",
        "general",
        "gen",
        "lieutenant",
        "lt",
        "colonel",
        "col",
        "major",
        "maj",
        "admiral",
        "marshal",
        "field",
        "brigadier",
        "captain",
        "capt",
        "commander",
        "chief",
        "senator",
        "ambassador",
    ]
)


@dataclass
class Pair:
    first: Leader
    second: Leader
    score: float
    evidence: str


def name_key(name):
    """A name without its titles: 'His Majesty King Abdullah II' -> 'abdullah ii'."""
    words = [word for word in fold(name).split() if word not in TITLE_WORDS]
    return " ".join(words)


def possible_duplicates(limit=200):
    """The pairs of leaders of one country whose names are alike, best evidence first."""
    leaders = Leader.objects.annotate(
        given=Count("gifts_given", distinct=True), received=Count("gifts_received", distinct=True)
    )
    by_country = defaultdict(list)
    for leader in leaders:
        key = name_key(leader.name)
        if key:
            by_country[leader.country.code].append((key, leader))
    pairs = []
    for people in by_country.values():
        for i, (key, leader) in enumerate(people):
            for other_key, other in people[i + 1 :]:
                pair = _pair(leader, other, key, other_key)
                if pair:
                    pairs.append(pair)
    pairs.sort(
        key=lambda p: (-p.score, -(_gifts(p.first) + _gifts(p.second)), p.first.pk, p.second.pk)
    )
    return pairs[:limit]


def _pair(leader, other, key, other_key):
    if key == other_key:
        return Pair(leader, other, 100.0, "the same name once titles are set aside")
    words, other_words = set(key.split()), set(other_key.split())
    if min(len(words), len(other_words)) >= 2 and (words <= other_words or other_words <= words):
        return Pair(leader, other, 95.0, "every word of one name is in the other")
    score = fuzz.token_sort_ratio(key, other_key, score_cutoff=ALIKE_AT)
    if score:
        return Pair(leader, other, round(score, 1), f"names {score:.0f} % alike (spelling)")
    return None


def _gifts(leader):
    return leader.given + leader.received
