"""An editor splits a leader the importer made of two people: the gifts whose register rows
write it one way move to a new leader, with history, and the decision survives later
imports of the register."""

import csv
import io

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import TestCase

from giftapp.editorial import workflow
from giftapp.importers.pipeline import run_import
from giftapp.models import Gift, Leader

from .factories import make_user

HEADER = [
    "Detail of Gifts", "Item Category", "Name of Recipient", "Affiliation", "Date",
    "Assessed Value", "Retention Cost", "Retained", "Remarks",
]  # fmt: skip


def toshakhana(*rows):
    """A Toshakhana file of (item, recipient, date) rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for item, recipient, date in rows:
        writer.writerow(
            [item, "Decoration Pieces", recipient, "", date, "5000.0", "0.0", "Yes", ""]
        )
    return out.getvalue().encode()


def load(data):
    return run_import(io.BytesIO(data), "pk-toshakhana", file_name="pk.csv", skip_invalid=True)


ROWS = [
    ("Silver bowl", "Mr. Shaukat Aziz, Minister for Finance", "2002-01-09"),
    ("Carpet", "Mr. Shaukat Aziz, Prime Minister", "2005-03-01"),
    # Another man, whom the importer takes for the same one (a longer name that fits).
    ("Pen", "Mr. Shaukat Aziz Khan, Deputy Secretary", "2006-05-01"),
    ("Watch", "Mr. Shaukat Aziz Khan, Deputy Secretary", "2006-06-01"),
]


class SplitLeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reviewer = make_user("reviewer", "reviewer")

    def setUp(self):
        load(toshakhana(*ROWS))
        self.leader = Leader.objects.get(name="Shaukat Aziz")

    def recipients(self):
        return dict(Gift.objects.values_list("item", "recipient__name"))

    def test_the_importer_took_two_men_for_one(self):
        self.assertEqual(set(self.recipients().values()), {"Shaukat Aziz"})
        self.assertEqual(
            workflow.register_spellings(self.leader),
            [("Shaukat Aziz", 2), ("Shaukat Aziz Khan", 2)],
        )

    def test_a_split_moves_the_gifts_written_so_with_history(self):
        new = workflow.split_leader(self.leader, ["Shaukat Aziz Khan"], "Shaukat Aziz Khan")
        self.assertEqual(
            self.recipients(),
            {"Silver bowl": "Shaukat Aziz", "Carpet": "Shaukat Aziz",
             "Pen": "Shaukat Aziz Khan", "Watch": "Shaukat Aziz Khan"},
        )  # fmt: skip
        self.assertEqual(new.country, "PK")
        self.assertEqual(new.title, "Deputy Secretary")
        self.leader.refresh_from_db()
        self.assertNotIn("Shaukat Aziz Khan", self.leader.aliases)
        pen = Gift.objects.get(item="Pen")
        self.assertEqual(pen.history.latest().recipient_id, new.pk)
        self.assertEqual(pen.history.earliest().recipient_id, self.leader.pk)

    def test_the_split_survives_a_later_import_of_the_register(self):
        workflow.split_leader(self.leader, ["Shaukat Aziz Khan"], "Shaukat Aziz Khan")
        # The same file again changes nothing; a longer one adds a row written either way.
        self.assertFalse(load(toshakhana(*ROWS)).written)
        more = [
            *ROWS,
            ("Vase", "Mr. Shaukat Aziz Khan, Deputy Secretary", "2007-01-01"),
            ("Clock", "Mr. Shaukat Aziz, Prime Minister", "2007-02-01"),
        ]
        load(toshakhana(*more))
        recipients = self.recipients()
        self.assertEqual(recipients["Pen"], "Shaukat Aziz Khan")
        self.assertEqual(recipients["Vase"], "Shaukat Aziz Khan")
        self.assertEqual(recipients["Clock"], "Shaukat Aziz")

    def test_the_admin_action_asks_which_spellings_then_splits(self):
        self.client.force_login(self.reviewer)
        url = "/admin/giftapp/leader/"
        chosen = {"action": "split_selected", ACTION_CHECKBOX_NAME: [self.leader.pk]}
        self.assertContains(self.client.post(url, chosen), "Shaukat Aziz Khan (2 gifts)")
        response = self.client.post(
            url,
            chosen | {"spellings": ["Shaukat Aziz Khan"], "name": "Shaukat Aziz", "apply": "1"},
        )
        self.assertContains(response, "already has this name")
        response = self.client.post(
            url,
            chosen | {"spellings": ["Shaukat Aziz", "Shaukat Aziz Khan"], "name": "S. A. Khan",
                      "apply": "1"},
        )  # fmt: skip
        self.assertContains(response, "Every spelling would move")
        response = self.client.post(
            url,
            chosen
            | {"spellings": ["Shaukat Aziz Khan"], "name": "Shaukat Aziz Khan", "apply": "1"},
            follow=True,
        )
        self.assertContains(response, "0 gifts given and 2 received moved")
        self.assertEqual(Leader.objects.get(name="Shaukat Aziz Khan").gifts_received.count(), 2)

    def test_editors_may_not_split(self):
        self.client.force_login(make_user("editor", "editor"))
        response = self.client.post(
            "/admin/giftapp/leader/",
            {"action": "split_selected", ACTION_CHECKBOX_NAME: [self.leader.pk]},
        )
        self.assertNotContains(response, "Spellings to move", status_code=response.status_code)
        self.assertEqual(Leader.objects.count(), 1)
