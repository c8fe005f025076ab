"""Security helpers: the client's address for the login lockout, the admin's policy."""

from django.conf import settings
from django.utils.csp import CSP


def client_ip(request):
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the nearest one saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so
    the client's is the TRUSTED_PROXY_COUNT-th from the right; anything left of it was
    written by the client and proves nothing.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


# django-simple-history's admin history list carries one style attribute,
# style="border-top: 0"; this hash allows exactly that text and nothing else.
HISTORY_LIST_STYLE = "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"


class AdminContentSecurityPolicyMiddleware:
    """The site's strict policy, relaxed for the one admin page that needs it.

    Django's admin keeps every script and style in static files, and passes the strict
    policy as it is (tests/browser/test_admin_csp.py walks it in Chromium). The history
    list of django-simple-history has one style attribute: on that page alone,
    style-src-attr allows that attribute by its hash. Listed after
    ContentSecurityPolicyMiddleware in MIDDLEWARE, so that one writes the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is not None
            and match.namespace == "admin"
            and match.url_name.endswith("_history")
            and not match.url_name.endswith("_simple_history")
            and not hasattr(response, "_csp_config")
        ):
            response._csp_config = settings.SECURE_CSP | {
                "style-src-attr": [CSP.UNSAFE_HASHES, HISTORY_LIST_STYLE]
            }
        return response
