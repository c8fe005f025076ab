"""The real registers bundled with the project (data/registers/), read in tests."""

import csv
import hashlib
import lzma
from pathlib import Path

REGISTERS = Path(__file__).resolve().parents[1] / "data" / "registers"
SLICES = Path(__file__).resolve().parent / "fixtures" / "registers"


def register_path(name):
    """The compressed file of a register, e.g. 'uk-ministers-gifts-2024-2025.csv'."""
    return REGISTERS / f"{name}.xz"


def register_bytes(name):
    return lzma.decompress(register_path(name).read_bytes())


def register_rows(name):
    """(header, rows as dicts) of a whole register."""
    text = register_bytes(name).decode("utf-8")
    reader = csv.DictReader(text.splitlines(keepends=True))
    return reader.fieldnames, list(reader)


def published_sha256(name):
    """The SHA-256 that data/registers/README.md gives for a register."""
    for line in (REGISTERS / "README.md").read_text().splitlines():
        digest, _, file_name = line.partition("  ")
        if file_name == name:
            return digest
    raise KeyError(name)


def sha256(data):
    return hashlib.sha256(data).hexdigest()
