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

The same version makes the HTTP validators (docs/operations.md, "HTTP caching"): a public
response's ETag is a digest of the version, the release, the day and its address, so a
browser or a proxy asking "If-None-Match" is answered 304 before any work is done, and
every ETag changes with any change to the public data: no purge is needed.
"""

import hashlib
import os
import time
from functools import cache as once
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from .backends import UNREACHABLE, backend

VERSION_KEY = "public-data-version"
CACHEABLE_STATUSES = {200, 404, 410}


def _version_in_database():
    return not settings.REDIS_URL


# The version this process last read from the database: while the database cannot be
# reached, pages cached under it are still served (a write cannot happen meanwhile).
_last_read = None


def public_version():
    global _last_read
    if _version_in_database():
        with connection.cursor() as cursor:
            _last_read = backend().public_version(cursor)
        return _last_read
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


@once
def release():
    """A digest of the code, templates and static files being served (about 1.5 MB, read
    once per process): the same on every app server of one release, another after any
    change to them (so is every ETag)."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in ("giftapp", "registry", "templates", "static"):
        for root, dirs, files in os.walk(base / folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = Path(root) / name
                digest.update(f"{path.relative_to(base)}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def entity_tag(version, address):
    """The strong ETag of a public response: its data version, release, day and address
    (bytes; a page may say "today", an export's file name carries the date)."""
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256(f"{version} {release()} {day} ".encode() + address).hexdigest()
    return f'"{digest[:32]}"'


def shared_cache_control(response):
    """Cache-Control for a public response: any cache may keep it; a browser asks again
    each time (cheaply: a 304), a shared cache after REGISTRY_SHARED_CACHE_SECONDS, and may
    serve it stale while it asks, or while the site cannot answer."""
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.REGISTRY_SHARED_CACHE_SECONDS,
        stale_while_revalidate=settings.REGISTRY_STALE_SECONDS,
        stale_if_error=settings.REGISTRY_STALE_IF_ERROR_SECONDS,
    )
    return response


def with_validators(request, response, etag):
    """A public response with its validators and Cache-Control, or the 304 it becomes
    for a request that already holds it. Never for a response that sets a cookie or
    varies by one (something personal), nor for an error other than 404 and 410."""
    if response.cookies or "Cookie" in response.get("Vary", ""):
        return response
    if response.status_code == 200:
        response["ETag"] = etag
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date()
    if response.status_code in CACHEABLE_STATUSES:
        shared_cache_control(response)
    if response.status_code != 200:
        return response
    last_modified = parse_http_date_safe(response["Last-Modified"])
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


def not_modified(request, etag):
    """The 304 (or 412) answer to a conditional request on the current ETag, or None."""
    if not ("HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MATCH" in request.META):
        return None
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        response["ETag"] = etag
        if response.status_code == 304:
            shared_cache_control(response)
    return response


def cache_public_page(view, params=()):
    """Serve a public page from the cache while the public data has not changed.

    Only anonymous-looking GET and HEAD requests for HTML or feeds; exports (any
    `format`), streamed responses and responses that set cookies are never cached. Each
    address (scheme, host, path and query) is cached apart. A query with parameters the
    page does not read (`params` names those it does), or a value repeated, is first
    redirected to the address without them: junk in a query string makes neither new
    cache entries nor more work, and never reaches the links of a page cached for others.

    With REGISTRY_HTTP_CACHE, every response (exports too) carries its validators and a
    conditional request for the current version is answered 304 before the cache or the
    view is asked.
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
        validate = settings.REGISTRY_HTTP_CACHE
        store_pages = settings.REGISTRY_PAGE_CACHE and "format" not in request.GET
        if request.method not in ("GET", "HEAD") or not (validate or store_pages):
            return view(request, *args, **kwargs)
        # The host too: canonical links, "cite this record" and the feeds are written
        # with the address the page was asked for (one of ALLOWED_HOSTS).
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        address = address.encode("utf-8", "surrogateescape")
        try:
            version, unreachable = public_version(), None
        except UNREACHABLE as error:
            # The database is down: what is cached under the version last read is still
            # served; anything else is this error (503, registry/health.py).
            if _last_read is None:
                raise
            version, unreachable = _last_read, error
        etag = entity_tag(version, address) if validate else None
        if validate and (early := not_modified(request, etag)) is not None:
            return early
        if not store_pages:
            if unreachable:
                raise unreachable
            response = view(request, *args, **kwargs)
            return with_validators(request, response, etag)
        key = f"page:{version}:{hashlib.sha256(address).hexdigest()}"
        cached = cache.get(key)
        if cached is not None:
            return with_validators(request, cached, etag) if validate else cached
        if unreachable:
            raise unreachable
        response = view(request, *args, **kwargs)
        if validate:
            # Before the response is stored: the cached copy keeps its Last-Modified.
            response = with_validators(request, response, etag)

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
