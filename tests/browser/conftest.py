"""Fixtures for the browser tests: Playwright driving the system's Chromium against a live server.

The tests need Chromium at /usr/bin/chromium (or at $CHROMIUM_PATH). Without it they skip on a
developer machine; with REQUIRE_BROWSER=1 (CI sets it) they fail instead, so a CI image that
lost its browser cannot pass silently.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from giftapp.demo import load_demo

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


def browser_required():
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def skip_or_fail(reason):
    if browser_required():
        pytest.fail(f"{reason} (REQUIRE_BROWSER is set, so this is an error)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests and run them after the rest of the suite.

    Between two calls, Playwright's sync API leaves its event loop marked as running in the
    main thread until it stops at the end of the session. Running these tests last keeps that
    loop, and the DJANGO_ALLOW_ASYNC_UNSAFE it needs, away from every other test.
    """
    browser_items, other_items = [], []
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            browser_items.append(item)
        else:
            other_items.append(item)
    items[:] = other_items + browser_items


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        skip_or_fail(
            f"Chromium is not installed at {path}: install it with `apt-get install chromium` "
            "or set CHROMIUM_PATH to a Chromium binary"
        )
    return path


@pytest.fixture(scope="session")
def playwright(chromium_path):
    # Django refuses ORM calls from a thread with a running event loop; the loop here only
    # drives the browser, so the test's own queries (fixtures, flushes) are safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    yield manager
    manager.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright, chromium_path):
    browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo story, committed so that the live server's thread sees it."""
    load_demo()


@pytest.fixture
def new_page(request, browser, live_server):
    """Open a page in a fresh browser context; the contexts close after the test.

    On a failed test, the last page opened is saved to test-artifacts/failures/.
    """
    contexts = []

    def open_page(viewport=DESKTOP):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, accept_downloads=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    if getattr(request.node, "call_failed", False) and contexts and contexts[-1].pages:
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        contexts[-1].pages[-1].screenshot(
            path=ARTIFACTS / "failures" / f"{name}.png", full_page=True
        )
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, demo):
    """A desktop-sized page on the live server, with the demo story loaded."""
    return new_page()


@pytest.fixture
def screenshot():
    """Keep a page as test-artifacts/<name>.png for a person to look at."""

    def save(page, name):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    return save
