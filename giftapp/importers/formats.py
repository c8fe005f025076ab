"""The register formats an import reads, each an adapter (base.Adapter), by --format name."""

from importlib import import_module

FORMATS = {
    "registry": "giftapp.importers.registry.RegistryAdapter",
    "us-federal-register": "giftapp.importers.us_federal_register.UsFederalRegisterAdapter",
    "uk-ministers": "giftapp.importers.uk_ministers.UkMinistersAdapter",
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
