"""Display helpers shared by the public pages, the admin and the exports."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
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


@register.filter
def gift_date_short(gift):
    """A gift's date in a table's row, months cut short: '19 Jun 2024', 'Jun 2024',
    '2024', 'unknown'; the whole date on hover."""
    date, precision = gift.date, gift.date_precision
    if date is None or precision == DatePrecision.UNKNOWN:
        return format_html('<span class="meta">{}</span>', "unknown")
    if precision == DatePrecision.YEAR:
        short = f"{date.year}"
    elif precision == DatePrecision.MONTH:
        short = f"{date:%b} {date.year}"
    else:
        short = f"{date.day} {date:%b} {date.year}"
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', date.isoformat(), gift_date(gift), short
    )


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
def money_in_dollars(gift):
    """A gift's value on one line of a table: in dollars, '≈' when converted; the whole
    reading (its currency, or the register's note) on hover."""
    full = money(gift)
    if gift.value_usd is None:
        if gift.value_note:
            return format_html('<span class="meta" title="{}">{}</span>', full, "see note")
        return ""
    dollars = f"US$ {round(gift.value_usd):,}"  # whole dollars: the cents are on the page
    short = dollars if gift.currency in ("USD", "") else f"≈ {dollars}"
    if short == full:
        return short
    return format_html('<span title="{}">{}</span>', full, short)


@register.filter
def svg_bars(bars):
    """A chart's bars (charts.Bar) as SVG rectangles titled with their labels, each in a
    link where it leads somewhere: as the template would write them, at a fraction of
    the cost of six template lookups a bar (a chart draws up to a hundred). The
    coordinates are numbers; the texts are escaped."""
    drawn = []
    for bar in bars:
        rect = (
            f'<rect class="{escape(bar.css_class)}" x="{bar.x}" y="{bar.y}" '
            f'width="{bar.width}" height="{bar.height}"><title>{escape(bar.label)}</title></rect>'
        )
        drawn.append(f'<a href="{escape(bar.url)}">{rect}</a>' if bar.url else rect)
    return mark_safe("".join(drawn))


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
        phrase = format_html('<span class="meta">{}</span>', NOT_STATED)
    else:
        phrase = "Unnamed"
    if code:
        return format_html('{} <span class="meta">({})</span>', phrase, country(code))
    return phrase


@register.simple_tag
def leader_cell(leader, as_reported, not_stated=False):
    """A giver or recipient in one line of a gift table: the leader's name linked, else
    the register's text (cut by the table to the column's width, whole on hover)."""
    if leader:
        return format_html(
            '<a href="{}" title="{}">{}</a>', leader.get_absolute_url(), leader.name, leader.name
        )
    if as_reported:
        text = Truncator(as_reported).chars(200)
        return format_html('<span title="{}">{}</span>', text, text)
    if not_stated:
        return format_html('<span class="meta" title="{}">{}</span>', NOT_STATED, "Not stated")
    return format_html('<span class="meta">{}</span>', "Unnamed")


NOT_STATED = "Not stated by the register"


@register.filter
def country_code(code):
    """A country as its code, the name on hover and for screen readers."""
    if not code:
        return ""
    return format_html('<abbr title="{}">{}</abbr>', country(code), code)


@register.filter
def any_public_flag(gifts):
    """Whether any of these gifts carries a public flag that is not cleared (listing
    querysets prefetch them as public_flags)."""
    return any(
        flag.status != "cleared" for gift in gifts for flag in getattr(gift, "public_flags", ())
    )


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
