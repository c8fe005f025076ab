"""The register formats an import reads, each an adapter (base.Adapter), by --format name."""

from importlib import import_module

FORMATS = {
    "registry": "giftapp.importers.registry.RegistryAdapter",
    "us-federal-register": "giftapp.importers.us_federal_register.UsFederalRegisterAdapter",
    "us-foreign-gifts": "giftapp.importers.us_foreign_gifts.UsForeignGiftsAdapter",
    "uk-ministers": "giftapp.importers.uk_ministers.UkMinistersAdapter",
    "pk-toshakhana": "giftapp.importers.pk_toshakhana.PkToshakhanaAdapter",
}


# The public registers bundled under data/registers/ (README.md there: origin, terms,
# SHA-256), compressed, with the format each is read in: `manage.py load_registers`.
BUNDLED_REGISTERS = {
    "us-federal-register-gifts-1999-2018.csv.xz": "us-federal-register",
    "us-foreign-gifts-1977-2022.csv.xz": "us-foreign-gifts",
    "uk-ministers-gifts-2024-2025.csv.xz": "uk-ministers",
    "pk-toshakhana-2002-2022.csv.xz": "pk-toshakhana",
}


class UnknownFormat(ValueError):
    pass


def get_adapter(name):
    try:
        module, _, cls = FORMATS[name].rpartition(".")
    except KeyError:
        raise UnknownFormat(f"Unknown format {name!r}; use one of: {', '.join(FORMATS)}.") from None
    return getattr(import_module(module), cls)()


def format_of(header):
    """The format whose columns a header holds, every one of them, or None."""
    names = set(header)
    for name in FORMATS:
        if set(get_adapter(name).columns) <= names:
            return name
    return None
