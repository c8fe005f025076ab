import sys
import time
from collections import Counter
from types import SimpleNamespace
from unittest import mock

import pytest
from django.test import override_settings

DESELECTED = pytest.StashKey[Counter]()


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage():
    """Serve static files unhashed in tests: the manifest exists only after collectstatic."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Whitenoise would index STATIC_ROOT (filled by `make serve`) for each test client.
    with override_settings(STORAGES=storages, WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _no_page_cache():
    """Pages render afresh in tests; tests/test_cache.py switches the caches on."""
    with override_settings(REGISTRY_PAGE_CACHE=False, REGISTRY_HTTP_CACHE=False):
        yield


@pytest.fixture(autouse=True, scope="session")
def _no_rate_limits():
    """The suite exports and searches far more than a reader would from one address;
    tests/test_rate_limits.py sets the limits it tries."""
    with override_settings(
        REGISTRY_EXPORT_RATE=None, REGISTRY_SEARCH_RATE=None, REGISTRY_API_RATE=None
    ):
        yield


@pytest.fixture(autouse=True)
def _rate_limit_clock_stands_still():
    """Where a test sets a limit (10 a minute, say), the requests it makes count in one
    window: the limits count by the minute, each window ending at a second of its own, and
    a test whose requests straddled that second would see its count start again."""
    now = time.time()
    with mock.patch("django_ratelimit.core.time", SimpleNamespace(time=lambda: now)):
        yield


# The PostgreSQL features some tests need, and so the only reasons a test may be left out
# of the SQLite run. Each such test is marked @pytest.mark.postgresql("<feature>").
POSTGRESQL_FEATURES = {
    "copy": "COPY, for imports and exports (importers/bulk.py, exports/csv_stream.py)",
    "triggers": "aggregates kept by statement triggers (counts/, migrations 0002 to 0009)",
    "statistics": "the planner's statistics in pg_class",
    "pg_dump": "pg_dump and pg_restore (registry/backup.py)",
}


def postgresql_feature(item):
    """The PostgreSQL feature a test is marked as needing, or None."""
    marker = item.get_closest_marker("postgresql")
    if marker is None:
        return None
    if len(marker.args) != 1 or marker.args[0] not in POSTGRESQL_FEATURES:
        raise pytest.UsageError(
            f"{item.nodeid}: mark it @pytest.mark.postgresql(FEATURE), with FEATURE one of "
            + ", ".join(POSTGRESQL_FEATURES)
        )
    return marker.args[0]


def pytest_collection_modifyitems(config, items):
    """Tests that need a PostgreSQL feature run in the PostgreSQL run of the suite; on
    SQLite they are deselected, and the summary names them by feature."""
    from django.db import connection

    needing = {item: postgresql_feature(item) for item in items}
    if connection.vendor == "postgresql":
        return
    postgres_only = [item for item, feature in needing.items() if feature]
    if postgres_only:
        config.hook.pytest_deselected(items=postgres_only)
        items[:] = [item for item in items if not needing[item]]
        config.stash[DESELECTED] = Counter(needing[item] for item in postgres_only)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    hostile = sys.modules.get("tests.test_hostile_input")
    SENT = hostile.SENT if hostile else {"requests": 0}
    if SENT["requests"]:
        terminalreporter.write_sep("-", "hostile input")
        terminalreporter.write_line(
            f"{SENT['requests']:,} generated and hostile requests; "
            f"{SENT['5xx']} answered with a server error"
        )
    deselected = config.stash.get(DESELECTED, None)
    if deselected:
        terminalreporter.write_sep("-", "left out on SQLite: they need PostgreSQL")
        for feature, n in sorted(deselected.items()):
            terminalreporter.write_line(f"{n:4} {feature}: {POSTGRESQL_FEATURES[feature]}")
