"""The Django admin works under the site's Content Security Policy, in a real browser.

The policy (SECURE_CSP) allows no inline script or style. Chromium reports anything it
blocks as a console error; a whole round through the admin — log in, list, search, open a
gift with its flag inline, pick a leader with the autocomplete, add an inline row, read the
history, prepopulate a slug, log out — must log none.
"""

import pytest
from django.contrib import admin

from giftapp.models import Gift, Leader, Source, Visit
from tests.factories import make_staff, make_user

PASSWORD = "correct horse battery staple"


@pytest.fixture
def watched_page(new_page, demo, live_server):
    make_staff("csp-admin", superuser=True)
    make_user("csp-editor", "editor")
    page = new_page()
    problems = []

    def on_console(message):
        # Chromium asks for /favicon.ico by itself; the site has none.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"console on {page.url}: {message.text} at {message.location}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "response",
        lambda response: (
            response.url.startswith(live_server.url)
            and response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    page.problems = problems
    return page


def log_in(page, username="csp-admin"):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def test_the_admin_is_served_with_the_strict_policy(watched_page):
    response = watched_page.goto("/admin/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "nonce" not in policy


def test_a_superusers_round_through_the_admin_logs_no_policy_violation(watched_page, screenshot):
    page = watched_page
    log_in(page)

    page.goto("/admin/giftapp/gift/")
    page.locator("#searchbar").fill("dogs")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Two Pungsan hunting dogs").wait_for()

    gift = Gift.objects.filter(flags__isnull=False).first()
    page.goto(f"/admin/giftapp/gift/{gift.pk}/change/")
    # The flag inline, the collapsible fieldsets and the date shortcuts are script-built.
    assert page.locator(".inline-group").count() >= 1
    assert page.locator(".datetimeshortcuts").count() >= 1
    # The autocomplete (select2): open it, type, see the leaders it finds.
    page.locator("#select2-id_giver-container").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Kim")
    page.locator(".select2-results__option", has_text="Kim Jong Un").first.wait_for()
    page.keyboard.press("Escape")
    screenshot(page, "admin-gift-change-under-csp")

    visit = Visit.objects.first()
    page.goto(f"/admin/giftapp/visit/{visit.pk}/change/")
    assert page.locator(".inline-group").count() == 2
    page.locator(".inline-group .add-row a").first.click()

    page.goto(f"/admin/giftapp/gift/{gift.pk}/history/")
    page.locator("#change-history a[href*='/history/']").first.click()
    page.wait_for_url("**/history/*/")

    page.goto("/admin/giftapp/gift/add/")
    page.goto("/admin/giftapp/leader/add/")
    page.locator("#id_name").press_sequentially("Ada Example")
    assert page.locator("#id_slug").input_value() == "ada-example"  # prepopulate.js

    assert page.problems == []


def test_an_editors_lists_forms_and_logout_log_no_policy_violation(watched_page):
    page = watched_page
    log_in(page, "csp-editor")
    for model in [m for m in admin.site._registry if m._meta.app_label == "giftapp"]:
        opts = model._meta
        page.goto(f"/admin/{opts.app_label}/{opts.model_name}/")
    page.goto(f"/admin/giftapp/source/{Source.objects.first().pk}/change/")
    page.goto(f"/admin/giftapp/leader/{Leader.objects.first().pk}/history/")
    page.goto("/admin/giftapp/gift/add/")
    page.get_by_role("button", name="Log out").click()
    page.get_by_text("Thanks for spending some quality time").wait_for()

    assert page.problems == []
