"""Fill the database at DATABASE_URL (or the local SQLite file) with a synthetic registry:

    uv run python bench/generate.py --gifts N [--seed S] [--batch B] [--append]

The generator itself is bench/generate_registry.py.
"""

import os
import sys
from pathlib import Path


def main(argv):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from bench.generate_registry import Command

    Command().run_from_argv([argv[0], "generate_registry", *argv[1:]])


if __name__ == "__main__":
    main(sys.argv)
