"""The public pages load cleanly under a strict Content Security Policy.

Every script and style must come from a static file (STYLE.md). When the site does not send a
policy itself, the test adds a strict one to each page, so Chromium reports any inline script,
<style> element or style attribute as a console error.
"""

import pytest

from giftapp.demo import GIFTS
from giftapp.models import Gift

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
INLINE_CODE = """() => {
    const found = [];
    for (const el of document.querySelectorAll("*")) {
        const tag = el.tagName.toLowerCase();
        if (tag === "script" && !el.src) found.push("inline <script>");
        if (tag === "style") found.push("<style> element");
        for (const attr of el.getAttributeNames()) {
            if (attr === "style" || attr.startsWith("on")) found.push(`${attr}="" on <${tag}>`);
        }
    }
    return found;
}"""
FLAGGED_GIFT = GIFTS["G3"]["item"]


def with_strict_policy(route):
    response = route.fetch()
    headers = dict(response.headers)
    headers.setdefault("content-security-policy", STRICT_POLICY)
    route.fulfill(response=response, headers=headers)


@pytest.mark.parametrize(
    "path",
    ["/", "/gifts/", "/timeline/", "gift", "/countries/KP/"],
    ids=["home", "gift-list", "timeline", "gift-detail", "country"],
)
def test_page_logs_no_console_error_and_no_failed_request(
    new_page, demo, live_server, screenshot, request, path
):
    if path == "gift":
        path = Gift.objects.get(item=FLAGGED_GIFT).get_absolute_url()
    page = new_page()
    problems = []
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console: {message.text}"),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "requestfailed",
        lambda request: (
            request.url.startswith(live_server.url)
            and problems.append(f"failed request: {request.url} ({request.failure})")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.url.startswith(live_server.url)
            and response.status >= 400
            and problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    page.route(
        lambda url: url.startswith(live_server.url),
        lambda route: (
            with_strict_policy(route)
            if route.request.resource_type == "document"
            else route.continue_()
        ),
    )

    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    # Before the screenshot, which leaves empty style attributes behind on form fields.
    inline_code = page.evaluate(INLINE_CODE)
    screenshot(page, f"page-{request.node.callspec.id}")

    assert response.status == 200
    assert problems == []
    assert inline_code == []
