#!/usr/bin/env python
import os
import sys

# Commands that read only the code, never the data or a request (makemigrations --check in
# CI, or before a commit): without DEBUG or SECRET_KEY in the environment they run with the
# local development settings instead of refusing for want of production secrets.
CODE_ONLY_COMMANDS = {"makemigrations"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in CODE_ONLY_COMMANDS and not {"DEBUG", "SECRET_KEY"} & set(os.environ):
        os.environ["DEBUG"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
