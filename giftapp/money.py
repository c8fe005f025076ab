"""Money that compares: a value in any currency as US dollars at the year's average rate,
and US dollars of any year in the constant dollars of the latest year of the US CPI.

The tables are bundled, sourced reference data (giftapp/data/README.md)."""

import csv
import functools
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DATA = Path(__file__).with_name("data")
CENT = Decimal("0.01")


@functools.cache
def _rates():
    """(currency, year) -> units of the currency per US dollar."""
    with (DATA / "exchange_rates.csv").open(encoding="utf-8", newline="") as handle:
        return {
            (row["currency"], int(row["year"])): Decimal(row["per_usd"])
            for row in csv.DictReader(handle)
        }


@functools.cache
def _cpi():
    with (DATA / "us_cpi.csv").open(encoding="utf-8", newline="") as handle:
        return {int(row["year"]): Decimal(row["cpi_u"]) for row in csv.DictReader(handle)}


def to_usd(amount, currency, year):
    """(US-dollar amount, basis in words) for an amount in a currency in a year; (None,
    why not) when the table has no rate for it."""
    if amount is None or not currency:
        return None, ""
    if currency == "USD":
        return amount, ""
    if year is None:
        return None, f"not converted to US dollars: the date is unknown, so no {currency} rate"
    rate = _rates().get((currency, year))
    if rate is None:
        return None, f"not converted to US dollars: no {year} {currency} rate in the table"
    usd = (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return usd, f"converted at the {year} average rate ({rate} {currency} per US$)"


def base_year():
    """The year whose dollars constant values are given in."""
    return max(_cpi())


def constant_usd(usd, year):
    """US dollars of a year in the constant dollars of base_year(), or None."""
    table = _cpi()
    if usd is None or year not in table:
        return None
    return (usd * table[base_year()] / table[year]).quantize(Decimal(1), rounding=ROUND_HALF_UP)
