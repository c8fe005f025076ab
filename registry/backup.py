"""Backups of the registry, and their restore into an empty database.

Two kinds, both restorable into a new, empty database:
- a PostgreSQL archive (pg_dump --format=custom), restored with pg_restore: the whole
  database as it is, the fastest to take and to restore;
- a portable dump (Django's dumpdata, loaded with loaddata after migrate): every record,
  every history row, the accounts and the admin log, as JSON that loads into PostgreSQL
  or SQLite, and that a person can read.

Run from bin/backup and bin/restore (`make backup`, `make restore FILE=…`), or as
`python -m registry.backup {dump-portable,load-portable,dump-postgres,load-postgres} FILE`
on the database named by DATABASE_URL.
"""

import os
import shutil
import subprocess
import sys

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import override_settings

from giftapp.backends import one_snapshot

# Not carried by the portable dump: what migrate creates afresh (content types and
# permissions, which the dump names by natural keys), login sessions and login-failure
# counters (short-lived), and tables derived from the records (rebuilt as the records
# load: GiftFacet and the activity counts are kept by PostgreSQL triggers).
PORTABLE_EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
DERIVED_MODELS = [
    "giftapp.GiftFacet",
    "giftapp.GiftFacetPair",
    "giftapp.FlagFacet",
    "giftapp.LeaderActivity",
    "giftapp.VisitCountry",
    "giftapp.CountryVisits",
]


# Django's JSON, with datetimes to the microsecond (Django's own keeps milliseconds).
EXACT_JSON = "exact-json"
serializers.register_serializer(EXACT_JSON, "registry.exact_json")


def portable_exclusions():
    derived = [label for label in DERIVED_MODELS if _model_exists(label)]
    return PORTABLE_EXCLUDED + derived


def _model_exists(label):
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def dump_portable(path):
    """Write every record to path (.json, or compressed: .json.gz, .json.bz2, .json.xz).

    On PostgreSQL the tables are read in one repeatable-read transaction: a consistent
    snapshot, however many editors are at work meanwhile.
    """
    with one_snapshot():
        call_command(
            "dumpdata",
            format=EXACT_JSON,
            natural_foreign=True,
            natural_primary=True,
            exclude=portable_exclusions(),
            output=str(path),
            verbosity=0,
        )


def load_portable(path):
    """Create the tables in the empty database, then load the dump into them."""
    require_empty_database()
    call_command("migrate", interactive=False, verbosity=0)
    # The history rows come from the dump: the records' relations, set as they load,
    # must not write history rows of their own.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", str(path), verbosity=0)


def require_empty_database():
    tables = connection.introspection.table_names()
    if "giftapp_gift" in tables:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM giftapp_gift LIMIT 1")
            has_gifts = cursor.fetchone() is not None
        if has_gifts:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} already holds gifts: "
                "restore into a new, empty database."
            )
    return tables


def postgres_environment(settings_dict):
    """The libpq variables that point pg_dump and pg_restore at this database (the
    password in the environment, not on a command line that `ps` shows)."""
    if settings_dict["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError("pg_dump and pg_restore need a PostgreSQL DATABASE_URL.")
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if sslmode := settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env


def _run(program, *args, env):
    if shutil.which(program) is None:
        raise CommandError(f"{program} is missing: apt-get install postgresql-client")
    result = subprocess.run([program, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{program} failed:\n{result.stderr.strip()}")


def dump_postgres(path, settings_dict=None):
    """pg_dump's custom format: compressed, restorable table by table with pg_restore."""
    env = postgres_environment(settings_dict or connection.settings_dict)
    _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}", env=env)


def load_postgres(path, settings_dict=None):
    """pg_restore into an empty database, all or nothing."""
    settings_dict = settings_dict or connection.settings_dict
    env = postgres_environment(settings_dict)
    _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={settings_dict['NAME']}",
        str(path),
        env=env,
    )


def require_no_tables(settings_dict=None):
    if connection.introspection.table_names():
        name = (settings_dict or connection.settings_dict)["NAME"]
        raise CommandError(
            f"The database {name} already has tables: pg_restore needs a new, empty database "
            "(createdb NAME)."
        )


ACTIONS = {
    "dump-portable": dump_portable,
    "load-portable": load_portable,
    "dump-postgres": dump_postgres,
    "load-postgres": lambda path: (require_no_tables(), load_postgres(path)),
}


def main(argv):
    if len(argv) != 2 or argv[0] not in ACTIONS:
        sys.exit(f"usage: python -m registry.backup {{{','.join(ACTIONS)}}} FILE")
    action, path = argv
    try:
        ACTIONS[action](path)
    except CommandError as exc:
        sys.exit(f"{action}: {exc}")


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    django.setup()
    main(sys.argv[1:])
