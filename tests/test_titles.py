"""Gift titles are short names written from the register's description: never a cut-off
fragment, a value, a barcode or a measurement (giftapp/importers/titles.py). The
descriptions are the registers' own, from the bundled files."""

import time

from django.test import SimpleTestCase

from giftapp.importers.titles import TITLE_LENGTH, gift_title, listed, tidy_marks


class TitleTests(SimpleTestCase):
    def assertTitle(self, objects, expected):
        self.assertEqual(gift_title(objects), expected)

    def test_the_name_is_the_head_of_the_description(self):
        self.assertTitle(
            ["Baltic amber carved face mounted on a green marble base"],
            "Baltic amber carved face",
        )
        self.assertTitle(["Silver dagger with belt in case"], "Silver dagger")
        self.assertTitle(
            ["Painting, oil on canvas, 8″ x 9 3/4″, bread and doughnuts, by Marite lagunes"],
            "Painting",
        )
        self.assertTitle(
            ["A heavily decorated ceremonial robe made with blue velvet"],
            "A heavily decorated ceremonial robe",
        )

    def test_measurements_codes_and_values_are_left_out(self):
        self.assertTitle(
            ["Rug—DB#069a BC 992463A—Egyptian, polished cotton, 24 x 22 = 528 knots"], "Rug"
        )
        self.assertTitle(["Dagger <greek-i>073 Barcode 992470--having curved blade"], "Dagger")
        self.assertTitle(
            ["Household item: 76″ x 49″ Persian design Pakistan woven rug with ivory field"],
            "Persian design Pakistan woven rug",
        )
        self.assertTitle(["5' x 3' silk rug, ivory background"], "Silk rug")
        self.assertTitle(["Rolex Watch and $26,490.00 cash"], "Rolex Watch and cash")
        self.assertTitle(
            ["One w/watch Frederique constant Model F.C-718CHWM4H6 Serial#3780291"],
            "One wristwatch Frederique constant",
        )
        self.assertTitle(["Est. Value)--$3500"], "")  # a scrap of the register, not a gift

    def test_a_register_heading_is_not_the_name_but_another_label_is(self):
        self.assertTitle(
            ["Desk Accessory: ancient red gum letter opener"], "Ancient red gum letter opener"
        )
        self.assertTitle(
            ['Photographs (40): 6" x 81⁄2" color photos of the trip'], "Photographs (40)"
        )
        self.assertTitle(["TRAVEL: Airfare and lodging for a presentation"], "Travel expenses")

    def test_a_work_keeps_its_title(self):
        self.assertTitle(
            ["Hardcover book: “Cuisine from Sweden's West at its Best,” published by Nordbok"],
            "Hardcover book “Cuisine from Sweden's West at its Best”",
        )
        self.assertTitle(
            ["Painting titled “At Parika Stelling (Guyana).”"],
            "Painting “At Parika Stelling (Guyana)”",
        )
        self.assertTitle(
            ["Book, hardcover: “Figures and Art,” by Cmielow"], "Book “Figures and Art”"
        )
        self.assertTitle(["Lacquered box with “OSCE Kazakhstan 2010”"], "Lacquered box")
        self.assertTitle(["Book: Children of London"], "Book: Children of London")
        self.assertTitle(
            ["Coffee table book, title: Defenders of Pakistan"],
            "Coffee table book: Defenders of Pakistan",
        )
        self.assertTitle(["Boots: navy blue ostrich skin stitched with “GWB”"], "Boots")

    def test_colours_before_the_object_stay_with_it(self):
        self.assertTitle(
            ['17.5" green, pink, and red-beaded necklace with silver-colored leaf pendants'],
            "Green, pink, and red-beaded necklace",
        )
        self.assertTitle(
            ["A red, white and blue nylon parachute in a black canvas bag"],
            "A red, white and blue nylon parachute",
        )

    def test_several_objects_are_listed_and_the_rest_counted(self):
        self.assertTitle(
            ["Personalized engraved plaque", "Ballpoint pen", "Fountain pen with gold ring"],
            "Personalized engraved plaque, Ballpoint pen and Fountain pen",
        )
        self.assertTitle(
            ["Longines brand watch, wallet, pen, and cuff links set in lacquer box"],
            "Longines brand watch, wallet, pen and cuff links",
        )
        self.assertTitle(
            [
                "Silver Dish, 9 x 8 ($265.00), Plaque (N/ V), Double-barreled Shotgun "
                "w/Ammunition ($280.00) and Gold Bracelet ($1240.00)"
            ],
            "Silver Dish, Plaque, Double-barreled Shotgun and Gold Bracelet",
        )
        many = ["Silk tie", "Parfum spray", "Cologne for men", "Watch", "Two leather wallets"]
        many += ["Cufflinks", "Pen", "Box of dates", "Scarf", "Necklace"]
        self.assertTitle(
            many,
            "Silk tie, Parfum spray, cologne for men, watch, two leather wallets and 5 other items",
        )
        self.assertTitle(["Cufflinks, 9 karat yellow gold", "Date"], "Cufflinks")

    def test_lists_that_are_one_object_are_not_taken_apart(self):
        self.assertIsNone(listed("Black, brown, and red rug"))
        self.assertIsNone(listed("Silver set with a necklace, bracelet, and ring"))
        self.assertIsNone(listed("Painting, oil on canvas, 8″ x 9 3/4″, bread and doughnuts"))
        self.assertEqual(listed("Candles, teacups", needs_and=False), ["Candles", "teacups"])
        self.assertEqual(
            listed("Watch, baseball, book and sunglasses", needs_and=False),
            ["Watch", "baseball", "book", "sunglasses"],
        )

    def test_a_long_name_is_cut_where_a_phrase_ends(self):
        self.assertTitle(
            [
                "Set of three matching decorative clay water pots by South African artist "
                "Thembia Nala and more words here"
            ],
            "Set of three matching decorative clay water pots",
        )
        self.assertTitle(
            ["Mother of Pearl replica of “The Manger Scene/ Bethlehem 2000” and a long tail"],
            "Mother of Pearl replica of “The Manger Scene/ Bethlehem 2000”",
        )

    def test_marks(self):
        self.assertEqual(
            tidy_marks("17.5\" necklace, 8' x 10' rug, ''Title'', 12'' plate, 11.5’x8.5’ carpet"),
            "17.5″ necklace, 8′ x 10′ rug, “Title”, 12″ plate, 11.5′x8.5′ carpet",
        )
        # A year is not a length; an apostrophe is not a foot.
        self.assertEqual(
            tidy_marks('"Expo 2010" vase, Kim\'s gift'), '"Expo 2010" vase, Kim\'s gift'
        )

    def test_never_a_fragment_a_value_or_too_long(self):
        for objects in (
            ["x" * 500],
            ["word " * 200],
            ["Statue " + "of a very large bronze horse " * 20],
            [f"Object number {n} of a set" for n in range(300)],
            ["“" + "Unclosed quotation of a title " * 10],
        ):
            with self.subTest(objects[0][:30]):
                title = gift_title(objects)
                self.assertLessEqual(len(title), TITLE_LENGTH)
                self.assertNotIn("…", title)
                self.assertNotIn("$", title)
                self.assertEqual(title.count("“"), title.count("”"))


class HostileTitleTests(SimpleTestCase):
    """A 1 MB cell crafted against each pattern is read in well under a second."""

    def test_crafted_cells_take_linear_time(self):
        size = 1_000_000
        cells = {
            "unclosed quote before delimiters": "“" + ", with" * (size // 6),
            "a run of digits": "1" * size + '"',
            "measurements": "1 x " * (size // 4),
            "brackets": "(" * size,
            "amounts": "$" + "1," * (size // 2),
            "adverbs": " fully carved" * (size // 13),
            "apostrophes": "1''" * (size // 3),
            "colours": "red, " * (size // 5),
            "a list without end": "a, " * (size // 3) + "and b",
            "tags": "<greek-i>" * (size // 9),
            "objects": "Rug; " * (size // 5),
        }
        for name, cell in cells.items():
            with self.subTest(name):
                started = time.perf_counter()
                gift_title([cell])
                gift_title(cell.split(";"))
                tidy_marks(cell)
                self.assertLess(time.perf_counter() - started, 1.0)
