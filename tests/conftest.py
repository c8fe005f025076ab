import pytest
from django.test import override_settings


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
    """Pages render afresh in tests; tests/test_cache.py switches the cache on."""
    with override_settings(REGISTRY_PAGE_CACHE=False):
        yield


def pytest_collection_modifyitems(config, items):
    """Tests marked postgresql (pg_dump and pg_restore) run in the PostgreSQL run of the
    suite; on SQLite they are deselected, and the summary counts them as such."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    postgres_only = [item for item in items if item.get_closest_marker("postgresql")]
    if postgres_only:
        config.hook.pytest_deselected(items=postgres_only)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
