"""The code lists the registry stores: countries and currencies.

Countries come from django-countries (ISO 3166-1) with the historical states and
user-assigned codes of settings.COUNTRIES_OVERRIDE; currencies from Babel's CLDR data
(ISO 4217, current and historical, e.g. SUR, DDM, YUN).
"""

import functools

from babel.numbers import get_currency_name, get_currency_symbol, list_currencies
from django.utils.translation import get_language
from django_countries import countries

COUNTRY_CODES = tuple(sorted(code for code, _name in countries))
CURRENCY_CODES = tuple(sorted(code for code in list_currencies() if len(code) == 3))
CURRENCY_CHOICES = tuple(
    (code, f"{code} – {get_currency_name(code, locale='en')}") for code in CURRENCY_CODES
)


def country_name(code):
    """'KP' -> 'North Korea'; '' -> ''."""
    return _country_name(code, get_language()) if code else ""


@functools.cache
def _country_name(code, language):
    """Looked up once per language: a gift list names a few hundred countries."""
    return countries.name(code)


def currency_symbol(code):
    return get_currency_symbol(code, locale="en")
