"""Whole-page caching of the public site, invalidated on every change.

Public pages are the same for every reader, so each is cached whole, under a key that
includes a version number of the public data. Any write to a registry model (a save, a
delete, a change of sources or participants, an import, a merge) bumps the version, so
the next request renders afresh: invalidation, not expiry.

Every process must see the same version: every worker and app server, and every command
(an import, a load of the demo) run beside them. With a shared cache (REDIS_URL) it lives
in the cache. With a cache in each process's own memory (the default) it lives in the
database: a sequence on PostgreSQL (migration 0008), a one-row table on SQLite (0017). One
tiny query per request, and a change made by any process is seen by all the others on
their next request.
"""

import hashlib
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponseRedirect

from .backends import backend

VERSION_KEY = "public-data-version"
CACHEABLE_STATUSES = {200, 404, 410}


def _version_in_database():
    return not settings.REDIS_URL


def public_version():
    if _version_in_database():
        with connection.cursor() as cursor:
            return backend().public_version(cursor)
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh number after a restart or an eviction is larger than any before it.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_public_version():
    """Make every cached public page stale; called after any write that may show."""
    if _version_in_database():
        with connection.cursor() as cursor:
            backend().bump_public_version(cursor)
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _bump_after_commit(**kwargs):
    # After the commit, so a reader never caches the old data under the new version;
    # and also now, so this request's own later reads within the transaction are fresh.
    bump_public_version()
    transaction.on_commit(bump_public_version)


def connect_invalidation(app_config):
    for model in app_config.get_models():
        if model._meta.app_label != "giftapp" or not hasattr(model, "history"):
            continue
        uid = f"giftapp.cache.{model.__name__}"
        post_save.connect(_bump_after_commit, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_bump_after_commit, sender=model, dispatch_uid=uid + ".delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _bump_after_commit,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}.{field.name}.m2m",
            )


def canonical_query(query, params):
    """The query string a page answers to: only the parameters it reads (`params`), each
    value once, in the order given; None when that is the query already."""
    kept, changed = [], False
    for name, values in query.lists():
        unique = list(dict.fromkeys(values))
        if name not in params:
            changed = True
            continue
        changed = changed or len(unique) != len(values)
        kept += [(name, value) for value in unique]
    return urlencode(kept) if changed else None


def cache_public_page(view, params=()):
    """Serve a public page from the cache while the public data has not changed.

    Only anonymous-looking GET and HEAD requests for HTML or feeds; exports (any
    `format`), streamed responses and responses that set cookies are never cached. Each
    address (scheme, host, path and query) is cached apart. A query with parameters the
    page does not read (`params` names those it does), or a value repeated, is first
    redirected to the address without them: junk in a query string makes neither new
    cache entries nor more work, and never reaches the links of a page cached for others.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            cleaned = canonical_query(request.GET, params)
            if cleaned is not None:
                # Not permanent: a parameter unknown today may be read by a later release.
                return HttpResponseRedirect(
                    f"{request.path}?{cleaned}" if cleaned else request.path
                )
        if (
            not settings.REGISTRY_PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or "format" in request.GET
        ):
            return view(request, *args, **kwargs)
        # The host too: canonical links, "cite this record" and the feeds are written
        # with the address the page was asked for (one of ALLOWED_HOSTS).
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
        key = f"page:{public_version()}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)

        def store(response):
            if (
                response.status_code in CACHEABLE_STATUSES
                and not response.streaming
                and not response.cookies
            ):
                cache.set(key, response, settings.REGISTRY_PAGE_CACHE_SECONDS)
            return response

        if hasattr(response, "add_post_render_callback") and not response.is_rendered:
            response.add_post_render_callback(store)
            return response
        return store(response)

    return wrapper
