"""The registry's rules for an imported value, checked in Python before anything is
written, whichever database the import then writes to."""

from array import array
from decimal import Decimal

from django.utils.text import slugify

from ..codes import COUNTRY_CODES, CURRENCY_CODES
from ..models import Category, Disposition, Gift, ImportBatch, Leader, Source

CATEGORIES = frozenset(Category.values)
DISPOSITIONS = frozenset(Disposition.values)
COUNTRIES = frozenset(COUNTRY_CODES) | {""}
CURRENCIES = frozenset(CURRENCY_CODES) | {""}
AMOUNT_LIMIT = 10**14


def _length(model, name):
    return model._meta.get_field(name).max_length


# The longest text each column holds, from the models: a longer one is rejected (or, for a
# register's free text that the format allows to be cut, clipped).
ITEM_LENGTH = _length(Gift, "item")
VALUE_NOTE_LENGTH = _length(Gift, "value_note")
TITLE_LENGTH = _length(Gift, "giver_title")
NAME_LENGTH = _length(Leader, "name")
SOURCE_TITLE_LENGTH = _length(Source, "title")
PUBLISHER_LENGTH = _length(Source, "publisher")
FILE_NAME_LENGTH = _length(ImportBatch, "file_name")


def fits_amount(value):
    """A decimal that fits the amount columns: 16 digits, 2 of them after the point."""
    return abs(value) < AMOUNT_LIMIT and value == value.quantize(Decimal("0.01"))


def free_slug(name, taken):
    """A slug for name that is not in taken (a set of slugs, updated)."""
    slug = base = slugify(name)[:112].strip("-") or "leader"
    n = 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


class SeenIds:
    """The ids a file gives, each with the line that first gave it: a file gives an id
    once, and a later line giving it again is rejected.

    Registry ids are dense, so they are kept in an array indexed by id (four bytes an
    id, a few megabytes for a million-row file) rather than a dict (about a hundred);
    an id beyond DENSE_IDS, or not positive, goes to a dict. The array never holds more
    than DENSE_IDS entries (64 MB), whatever ids a file gives."""

    DENSE_IDS = 1 << 24

    def __init__(self):
        self._dense = array("I")
        self._sparse = {}

    def first_line(self, gift_id, line):
        """The line that first gave gift_id: this one, when no line did before."""
        if 0 < gift_id < self.DENSE_IDS:
            dense = self._dense
            if gift_id >= len(dense):
                size = min(max(gift_id + 1, 2 * len(dense)), self.DENSE_IDS)
                dense.frombytes(bytes((size - len(dense)) * dense.itemsize))
            first = dense[gift_id]
            if not first:
                dense[gift_id] = first = line
            return first
        return self._sparse.setdefault(gift_id, line)
