import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from registry.settings import envbool, envint, envlist

STRONG_KEY = "k" * 50
_SETTINGS_VARIABLES = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}


def import_settings(**env):
    """Import the settings in a fresh interpreter with exactly these variables set."""
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", "import registry.settings"],
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_envbool_accepts_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)]:
        monkeypatch.setenv("SOME_FLAG", raw)
        assert envbool("SOME_FLAG", default=None) is expected
    monkeypatch.delenv("SOME_FLAG")
    assert envbool("SOME_FLAG", default=True) is True


def test_envbool_names_the_variable_and_the_accepted_values(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='maybe'.*true.*false"):
        envbool("DEBUG", default=False)


def test_envlist_and_envint(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example, b.example ,,")
    assert envlist("ALLOWED_HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="PORT"):
        envint("PORT", 8000)


def test_production_refuses_to_start_without_a_secret_key():
    result = import_settings(DEBUG="false", ALLOWED_HOSTS="gifts.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = import_settings(DEBUG="false", SECRET_KEY="short", ALLOWED_HOSTS="x.example")
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = import_settings(DEBUG="false", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_refuses_a_wildcard_host():
    result = import_settings(DEBUG="false", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="*")
    assert "'*' is refused" in result.stderr


def test_a_bad_debug_value_names_the_variable():
    result = import_settings(DEBUG="perhaps")
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_a_bad_database_url_names_the_variable():
    result = import_settings(DEBUG="true", DATABASE_URL="mysql://x@y/z")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_settings_start_with_what_they_need():
    result = import_settings(DEBUG="false", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="x.example")
    assert result.returncode == 0, result.stderr


def test_local_development_needs_nothing():
    result = import_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_makemigrations_check_runs_without_production_secrets(tmp_path):
    """The migrations check reads only the code: it needs no SECRET_KEY, while every
    command that serves or touches data still refuses without one (above)."""
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    manage = os.path.join(os.path.dirname(os.path.dirname(__file__)), "manage.py")
    result = subprocess.run(
        [sys.executable, manage, "makemigrations", "--check", "--dry-run"],
        env=clean | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    served = subprocess.run(
        [sys.executable, manage, "check"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert served.returncode != 0
    assert "SECRET_KEY is not set" in served.stderr


def test_the_wsgi_module_loads_the_site_without_touching_the_database_or_the_cache():
    """gunicorn --preload imports registry.wsgi once and forks its workers from it: it loads
    the views and the templates there, and must open no connection the workers would share.
    Pointed at a database and a cache that cannot be reached, the import still succeeds."""
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    probe = (
        "import json, sys\n"
        "import registry.wsgi\n"
        "from django.template import engines\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "print(json.dumps({'views': 'giftapp.views.gifts' in sys.modules,\n"
        "    'api': 'giftapp.api.views' in sys.modules, 'redis': 'redis' in sys.modules,\n"
        "    'templates': sorted(key.split('-')[0] for key in loader.get_template_cache)}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=clean
        | {
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "gifts.example.org",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
            "REDIS_URL": "redis://127.0.0.1:9/0",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["views"] and loaded["api"] and loaded["redis"]
    assert {"giftapp/gift_list.html", "giftapp/gift_detail.html", "404.html"} <= set(
        loaded["templates"]
    )
