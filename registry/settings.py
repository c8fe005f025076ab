"""Settings for the Diplomatic Gift Registry.

Every deployment knob comes from the environment and is parsed strictly: a bad value
raises ImproperlyConfigured naming the variable and what it accepts.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def envbool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of: 1, true, yes, on, 0, false, no, off."
    )


def envlist(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def envrate(name, default):
    """A request rate, as django-ratelimit reads it ("20/m": twenty a minute), or None for
    "off"."""
    value = os.environ.get(name, default).strip().lower()
    if value == "off":
        return None
    if not re.fullmatch(r"[1-9][0-9]*/[smhd]", value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate: use N/s, N/m, N/h or N/d (N a whole number), or off."
        )
    return value


def envint(name, default, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is too small; use {minimum} or more.")
    return value


DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"
elif not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith("insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for DEBUG=false: use at least 32 random characters."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DEBUG=false, list the host names this site "
        "answers to, separated by commas (e.g. ALLOWED_HOSTS=gifts.example.org)."
    )
if "*" in ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name hosts; '*' is refused with DEBUG=false.")

INSTALLED_APPS = [
    "giftapp.apps.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_countries",
    "simple_history",
    "axes",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "giftapp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "registry.security.AdminContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "giftapp.context_processors.registry",
            ],
        },
    },
]

WSGI_APPLICATION = "registry.wsgi.application"

try:
    DATABASES = {
        "default": dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL this site understands ({exc}); use "
        "postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///PATH."
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The gift list's queries are short; PostgreSQL's JIT compiler spends longer compiling
    # some of them than running them.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # A second connection to the same database, for what a background task reports while
    # its own transaction is open (an import's progress); tests use the one test database.
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL or SQLite.")

# A shared cache on Redis when REDIS_URL is set, local memory in each process otherwise
# (giftapp/cache.py keeps the pages' version where every process sees it either way).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL={REDIS_URL!r} is not a Redis URL; use redis://HOST:PORT/DB."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "registry"),
            "TIMEOUT": 24 * 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Background tasks (the admin's import checks and imports) are queued in the database and
# run by `manage.py db_worker` (django-tasks-db), which `make serve` and `make demo` start.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Public pages are cached whole and invalidated on every change (giftapp/cache.py).
REGISTRY_PAGE_CACHE = envbool("REGISTRY_PAGE_CACHE", True)
REGISTRY_PAGE_CACHE_SECONDS = envint("REGISTRY_PAGE_CACHE_SECONDS", 24 * 3600)
# HTTP caching of the same responses (giftapp/cache.py): validators (ETag, Last-Modified)
# and 304s, and how long a shared cache (a proxy, a CDN) may keep a public response before
# it asks again, then serve it stale while it asks (and while the site is down).
REGISTRY_HTTP_CACHE = envbool("REGISTRY_HTTP_CACHE", True)
REGISTRY_SHARED_CACHE_SECONDS = envint("REGISTRY_SHARED_CACHE_SECONDS", 60, minimum=0)
REGISTRY_STALE_SECONDS = envint("REGISTRY_STALE_SECONDS", 600, minimum=0)
REGISTRY_STALE_IF_ERROR_SECONDS = envint("REGISTRY_STALE_IF_ERROR_SECONDS", 86400, minimum=0)
# Hours an uploaded register waits in the admin for its confirmation before it is discarded.
REGISTRY_PENDING_IMPORT_HOURS = envint("REGISTRY_PENDING_IMPORT_HOURS", 24, minimum=1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Historical states and user-assigned codes that registers still use. SU, DD, YU and CS
# were ISO codes until their states dissolved; XS and XK are user-assigned codes in
# common use for Serbia and Montenegro and for Kosovo.
COUNTRIES_OVERRIDE = {
    "SU": "Soviet Union",
    "DD": "East Germany",
    "YU": "Yugoslavia",
    "CS": "Czechoslovakia",
    "XS": "Serbia and Montenegro",
    "XK": "Kosovo",
}

# Shown on the about page as the address for reporting an error in a record.
REGISTRY_CONTACT_EMAIL = os.environ.get("REGISTRY_CONTACT_EMAIL", "corrections@example.org")

LOGIN_URL = "admin:login"

# Security. With DEBUG false every default below is the production one, and
# `manage.py check --deploy` is clean; each knob is documented in the README.

# HTTPS: redirect plain HTTP, except /healthz, which load balancers probe over HTTP.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy that terminates TLS, a request arrives over HTTP; the proxy says it was
# HTTPS with X-Forwarded-Proto. Trust that header only when the proxy always sets it
# (overwriting what a client sent), so opt in.
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app servers append to X-Forwarded-For: the client's
# address, for the admin login lockout, is the one the nearest of them saw.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0, minimum=0)

SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload HSTS binds the whole registrable domain, for months:
    # an operator's decision (SECURE_HSTS_PRELOAD=true), not a default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy, on every response: scripts, styles, fonts, images and
# connections only from this site; no inline script or style anywhere, no plugins, no
# <base>, no framing, forms post only here. The admin keeps to it too, but for one style
# attribute on its history page: see registry.security.AdminContentSecurityPolicyMiddleware.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# The read API (/api/v1/, giftapp/api/): anonymous and read-only, so no authentication is
# read (no session, no CSRF); JSON only; `format` is a gift filter's name, not a renderer's.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "giftapp.api.schema.RegistrySchema",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Diplomatic Gift Registry API",
    "DESCRIPTION": "The registry's public records as JSON: the same records, filters and "
    "visibility as the public pages. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LeaderKindEnum": "giftapp.models.leaders.LeaderKind",
        "VisitKindEnum": "giftapp.models.visits.VisitKind",
    },
}

# Admin login: django-axes locks out a username from an address after repeated failed
# logins. Unknown usernames count and lock exactly like real ones, so neither the error
# nor the lockout tells whether an account exists.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Work a client may ask for, per address and per worker process (shared by every worker
# with REDIS_URL): exports of the gift list, and searches. "N/s", "N/m", "N/h"; "off" lifts
# the limit. Cached pages are never counted: only what must be computed afresh.
REGISTRY_EXPORT_RATE = envrate("REGISTRY_EXPORT_RATE", "20/m")
REGISTRY_SEARCH_RATE = envrate("REGISTRY_SEARCH_RATE", "60/m")
# Requests to the read API computed afresh (a cached response is never counted).
REGISTRY_API_RATE = envrate("REGISTRY_API_RATE", "600/m")
# The client's address, as for the login lockout (an IPv6 client by its /64).
RATELIMIT_IP_META_KEY = "registry.security.client_ip"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "registry.security.client_ip"
AXES_VERBOSE = False

# A PostgreSQL server that does not answer fails the request (and /healthz) in seconds,
# instead of holding a worker until gunicorn kills it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", envint("DATABASE_CONNECT_TIMEOUT", 5, minimum=1)
    )

# Logs go to standard error, where gunicorn and the service manager collect them: with
# DEBUG false, Django alone would print nothing, not even a server error's traceback.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL={LOG_LEVEL!r} is not a level; use DEBUG, INFO, WARNING, ERROR or CRITICAL."
    )
if not DEBUG:
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    }
