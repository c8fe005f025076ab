"""The admin's possible duplicate leaders: spellings of one person, ranked by evidence."""

from django.test import TestCase

from giftapp.editorial.duplicates import name_key, possible_duplicates

from .factories import make_gift, make_leader, make_staff, make_user


class PossibleDuplicateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.king = make_leader("Abdullah II", "JO", title="King of Jordan")
        cls.misprint = make_leader("Kind Abdullah II", "JO")
        cls.full = make_leader("Abdullah II bin Al-Hussein", "JO")
        cls.misspelt = make_leader("Abdulah II", "JO")
        cls.saudi = make_leader("King Abdullah", "SA")
        cls.other = make_leader("Hussein bin Talal", "JO")
        make_gift(giver=cls.king, giver_country="JO", recipient_country="US")

    def test_titles_misprinted_or_not_are_set_aside(self):
        self.assertEqual(name_key("His Majesty King Abdullah II"), "abdullah ii")
        self.assertEqual(name_key("Kind Abdullah II"), "abdullah ii")
        self.assertEqual(
            name_key("Sheikh Hamad bin Khalifa Al-Thani"), "hamad bin khalifa al thani"
        )

    def test_spellings_of_one_person_are_listed_best_evidence_first(self):
        pairs = [(p.first, p.second, p.evidence) for p in possible_duplicates()]
        found = {frozenset((first, second)) for first, second, _evidence in pairs}
        self.assertIn(frozenset((self.king, self.misprint)), found)
        self.assertIn(frozenset((self.king, self.full)), found)  # every word in the other
        self.assertIn(frozenset((self.king, self.misspelt)), found)  # a spelling
        # Never across countries, never unlike names.
        self.assertFalse(any(self.saudi in pair for pair in found))
        self.assertFalse(any(self.other in pair for pair in found))
        # The same name once titles are set aside comes first.
        self.assertEqual(frozenset(pairs[0][:2]), frozenset((self.king, self.misprint)))
        self.assertEqual(pairs[0][2], "the same name once titles are set aside")

    def test_the_admin_page_lists_them_for_staff_only(self):
        url = "/admin/possible-duplicates/"
        self.assertEqual(self.client.get(url).status_code, 302)  # to the login
        self.client.force_login(make_user("erin", "editor"))
        page = self.client.get(url)
        self.assertContains(page, "Kind Abdullah II")
        self.assertContains(page, f"?id__in={self.king.pk},{self.misprint.pk}")
        self.client.force_login(make_staff("nobody", perms_app="auth"))
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_compare_link_opens_the_two_leaders(self):
        self.client.force_login(make_user("rita", "reviewer"))
        page = self.client.get(f"/admin/giftapp/leader/?id__in={self.king.pk},{self.misprint.pk}")
        self.assertContains(page, "Kind Abdullah II")
        self.assertNotContains(page, "Hussein bin Talal")
