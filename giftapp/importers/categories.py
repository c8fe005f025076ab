"""A gift's category guessed from the words a register uses for it.

Registers describe gifts in free text ("Gold plated knife encased in glass", "TRAVEL:
Lodging and meals"). The first category word in the text decides, so "Painting of a
vase" is artwork and "Vase with a painted landscape" is decoration; a register's own
label ("Jewelry: …", "Household item: …") is tried first. Travel paid for by a foreign
government is always `travel`. An editor corrects the rest in the admin.
"""

import re

# Travel: a register lists lodging, fares and meals, not an object.
TRAVEL = re.compile(
    r"^\W*travel\b(?!\s+(?:case|bag|kit|clock|mug|set|pillow|alarm|wallet|pouch|journal))|"
    r"\b(?:airfares?|air fares?|airline tickets?|lodgings?|accom?modations?|per diem|"
    r"hotel (?:rooms?|stays?|accom?modations?|costs?|expenses)|travel (?:expenses|costs)|"
    r"transportation|train tickets?|rental car|meals|expended for)\b",
    re.IGNORECASE,
)
# An animal only when the gift plainly is one: "Two camels", "Live falcon" (not "Silver
# falcon on a base", which is decoration).
ANIMAL = re.compile(
    r"^\W*(?:(?:a|an|one|two|three|four|\d+|pair of)\s+)?(?:horses?|stallions?|mares?|foals?|"
    r"camels?|puppy|puppies|dogs?|kittens?|falcons?|parrots?)\b|"
    r"\b(?:live|purebred|thoroughbred)\s+(?:\w+\s+)?(?:horses?|stallions?|mares?|camels?|"
    r"falcons?|dogs?|birds?|animals?)\b",
    re.IGNORECASE,
)

_WORDS = {
    "weapon": r"swords?|sabers?|sabres?|daggers?|khanjars?|jambiyas?|scabbards?|knives|knife|"
    r"rifles?|pistols?|revolvers?|guns?|shotguns?|firearms?|muskets?|spears?|bayonets?|"
    r"krises|kris|machetes?|axes",
    "jewelry": r"jewel(?:le)?ry|necklaces?|bracelets?|bangles?|earrings?|rings?|cuff ?links?|"
    r"brooch(?:es)?|broach(?:es)?|pendants?|pearls?|tiaras?|watch(?:es)?|wristwatch(?:es)?|"
    r"tie (?:tacks?|clips?|pins?)|lapel pins?|diamonds?|emeralds?|rubies|sapphires?|chokers?",
    "book": r"books?|hardcover|hardback|paperback|volumes?|atlas|atlases|encyclopa?edias?|"
    r"manuscripts?|qur'?an|koran|bibles?|albums?|biograph(?:y|ies)",
    "artwork": r"art|artwork|paintings?|painted portrait|portraits?|sculptures?|statues?|"
    r"statuettes?|figurines?|busts?|prints?|lithographs?|etchings?|engravings?|drawings?|"
    r"watercolou?rs?|oil on canvas|canvas|woodcuts?|calligraphy|mosaics?|icons?|carvings?|"
    r"carved|photographs?|photos?|tapestr(?:y|ies)|reliefs?|artist",
    "tableware": r"tableware|bowls?|plates?|trays?|platters?|dish(?:es)?|cups?|mugs?|"
    r"saucers?|goblets?|chalices?|glasses|tumblers?|flutes|decanters?|carafes?|pitchers?|"
    r"jugs?|teapots?|tea (?:serving )?sets?|tea services?|coffee sets?|coffee services?|"
    r"coffee servers?|"
    r"samovars?|cutlery|spoons?|forks?|chopsticks|dinnerware|(?:fine|bone) china|serving sets?|"
    r"sake servers?|table linens?|napkins?|placemats?|tablecloths?|table cloths?|table runners?",
    "textile": r"textiles?|rugs?|carpets?|kilims?|scar(?:f|ves)|shawls?|ties|neckties?|tie|"
    r"robes?|bishts?|shirts?|jerseys?|sweaters?|jackets?|coats?|dress(?:es)?|suits?|"
    r"clothing|clothes|attire|garments?|fabrics?|silk|cloth|blankets?|quilts?|"
    r"embroider(?:y|ies)|caftans?|kaftans?|hats?|caps?|boots|shoes|handbags?|purses?",
    "food_drink": r"food|foods|wine|wines|whisk(?:e)?y|vodka|liquor|liqueur|cognac|brandy|"
    r"champagne|sake|beer|spirits|bottles? of|chocolates?|sweets|candy|dates|honey|"
    r"caviar|saffron|coffee|tea|fruits?|hampers?|cheese|consumables?|perishables?|"
    r"turkish delight|olive oil|cakes?|biscuits?",
    "vehicle": r"cars?|automobiles?|vehicles?|suvs?|trucks?|motorcycles?|bicycles?|"
    r"mountain bikes?|bikes?|boats?|yachts?|jeeps?",
    "electronics": r"electronics?|phones?|iphones?|smartphones?|ipads?|tablets?|laptops?|"
    r"computers?|supercomputers?|cameras?|televisions?|tvs?|radios?|headphones?|"
    r"speakers?|gpus?|graphics processing units?|drones?|e-?readers?|kindles?|cds?|dvds?",
    "decoration": r"decorations?|orders? of|medals?|medallions?|insignia|sash(?:es)?|"
    r"badges?|plaques?|coins?|trophy|trophies|awards?|vases?|clocks?|ornaments?|"
    r"models?|globes?|candles?|candlesticks?|crests?|emblems?|shields?|frames?|"
    r"boxes|box|lamps?|mirrors?|paperweights?|figures?|stamps?",
}
# One pattern for all the words: the leftmost match wins, and at the same place the
# category listed first. Matched on lower-cased text (faster than IGNORECASE).
_CATEGORY_WORDS = re.compile(
    "|".join(rf"\b(?P<{category}>{words.lower()})\b" for category, words in _WORDS.items())
)
# A register's label before a colon: "Household item: …", "Accessories (3): …".
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z' ]{2,40}?)\s*(?:\(\d+\))?\s*:")
# The words that decide are near the start of a description.
_SCAN = 400


def _first_category(text):
    """The category whose word comes first in the text, or None."""
    match = _CATEGORY_WORDS.search(text[:_SCAN].lower())
    return match.lastgroup if match else None


def infer_category(item, context=""):
    """The category for a gift: `item` is its name or description, `context` any other
    text of the entry (its disposition, say) that can show travel."""
    if TRAVEL.search(item[:_SCAN]) or (
        context and TRAVEL.search(context) and not _first_category(item)
    ):
        return "travel"
    if ANIMAL.search(item[:_SCAN]):
        return "animal"
    label = _LABEL.match(item)
    if label:
        found = _first_category(label.group(1))
        if found:
            return found
        item = item[label.end() :]
    return _first_category(item) or "other"
