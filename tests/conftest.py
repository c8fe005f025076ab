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
