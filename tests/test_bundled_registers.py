"""The registers in data/registers/ are the published files, unchanged."""

from django.test import SimpleTestCase

from .registers import REGISTERS, published_sha256, register_bytes, sha256


class BundledRegisterTests(SimpleTestCase):
    def test_each_bundled_register_is_the_file_its_readme_names(self):
        names = sorted(path.name.removesuffix(".xz") for path in REGISTERS.glob("*.csv.xz"))
        self.assertEqual(len(names), 4)
        for name in names:
            with self.subTest(name):
                self.assertEqual(sha256(register_bytes(name)), published_sha256(name))
