"""Text folding for search that ignores case, accents and punctuation in any script."""

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
# The same for ASCII text, as a table: every character but letters and digits a space.
_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def fold(text):
    """Fold text for matching: 'Erdoğan' -> 'erdogan', 'Kim Jong-un' -> 'kim jong un'.

    Decompose, drop combining marks, recompose (so Hangul and other scripts stay whole),
    lower-case, and turn every run of punctuation or spaces into one space.
    """
    if not text:
        return ""
    text = str(text)
    if text.isascii():  # most register text: no marks to drop, nothing to recompose
        return " ".join(text.lower().translate(_ASCII_NON_WORD).split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    recomposed = unicodedata.normalize("NFC", stripped).casefold()
    return _NON_WORD.sub(" ", recomposed).strip()


def fold_all(*parts):
    """Fold several texts into one space-separated search string, skipping blanks."""
    return " ".join(folded for folded in map(fold, parts) if folded)
