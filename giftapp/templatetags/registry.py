"""Display helpers shared by the public pages, the admin and the exports."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from ..codes import country_name, currency_symbol
from ..models import DatePrecision

register = template.Library()


@register.filter
def fuzzy_date(date, precision=DatePrecision.DAY):
    """A date as precisely as it is known: '19 June 2024', 'June 2024', '2024', 'date unknown'."""
    if date is None or precision == DatePrecision.UNKNOWN:
        return "date unknown"
    if precision == DatePrecision.YEAR:
        return f"{date.year}"
    if precision == DatePrecision.MONTH:
        return f"{date:%B} {date.year}"
    return f"{date.day} {date:%B} {date.year}"


@register.filter
def gift_date(gift):
    return fuzzy_date(gift.date, gift.date_precision)


def amount(value):
    """1500.00 -> '1,500'; 1234.5 -> '1,234.50'."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def usd(value):
    return f"US$ {amount(value)}"


@register.filter
def money(gift):
    """A gift's value as UX.md writes it: 'US$ 600', '₩ 1,000,000 (≈ US$ 750)', or its note."""
    if gift.value is not None and gift.currency:
        if gift.currency == "USD":
            return usd(gift.value)
        text = f"{currency_symbol(gift.currency)} {amount(gift.value)}"
        if gift.value_usd is not None:
            text += f" (≈ {usd(gift.value_usd)})"
        return text
    if gift.value_usd is not None:
        return usd(gift.value_usd)
    return gift.value_note or "not recorded"


@register.filter
def country(code):
    """'KP' -> 'North Korea'; historical codes by their historical names."""
    return country_name(str(code)) if code else ""


@register.simple_tag
def party(leader, as_reported, code, not_stated=False):
    """A gift's giver or recipient: the leader's name linked to their page, else the
    register's verbatim text, else 'Not stated by the register' when the register does
    not name the giver, else 'Unnamed'; then the country. A tag rather than a template
    fragment: gift tables and the timeline show hundreds of them on a page."""
    if leader:
        phrase = format_html('<a href="{}">{}</a>', leader.get_absolute_url(), leader.name)
    elif as_reported:
        phrase = format_html("{}", Truncator(as_reported).chars(80))
    elif not_stated:
        phrase = format_html('<span class="meta">{}</span>', "Not stated by the register")
    else:
        phrase = "Unnamed"
    if code:
        return format_html('{} <span class="meta">({})</span>', phrase, country(code))
    return phrase


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label):
    """A main-menu link, marked as the current page for every URL below it."""
    url = reverse(url_name)
    request = context.get("request")
    current = request is not None and request.path.startswith(url)
    return format_html(
        '<a href="{}"{}>{}</a>', url, mark_safe(' aria-current="page"') if current else "", label
    )


def date_span(start, end):
    """Two dates as one span: '19 June 2024', '18–19 June 2024', '30 June – 2 July 2024',
    '30 December 2023 – 2 January 2024'."""
    if start is None:
        return "dates unknown"
    if end is None or end == start:
        return fuzzy_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{fuzzy_date(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {fuzzy_date(end)}"
    return f"{fuzzy_date(start)} – {fuzzy_date(end)}"


@register.filter
def visit_dates(visit):
    return date_span(visit.start_date, visit.end_date)


@register.filter
def admin_change_url_name(record):
    """The admin change URL name of a record: 'admin:giftapp_gift_change'."""
    opts = record._meta
    return f"admin:{opts.app_label}_{opts.model_name}_change"
