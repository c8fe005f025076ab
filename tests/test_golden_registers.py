"""The importers read the real registers right: 50 entries of each, drawn at random and
graded by hand against their source rows (tests/fixtures/golden/, written as
bench/grade_registers.py says), at least 98 % of fields right in each register.

`uv run python bench/grade_registers.py` prints the same figures and every field read
otherwise than the golden reading."""

from django.test import SimpleTestCase

from bench.grade_registers import FIELDS, TARGET, grade
from giftapp.importers.formats import BUNDLED_REGISTERS


class GoldenRegisterTests(SimpleTestCase):
    def test_each_register_is_read_right(self):
        for file_name, fmt in BUNDLED_REGISTERS.items():
            with self.subTest(fmt):
                right, graded, wrong = grade(fmt, file_name)
                self.assertEqual(graded, 50 * len(FIELDS))
                self.assertGreaterEqual(right / graded, TARGET, "\n".join(map(str, wrong)))
