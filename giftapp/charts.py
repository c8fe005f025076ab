"""Geometry for the small server-rendered SVG charts: no JavaScript, no inline styles.

The template draws what these functions compute; colours come from the stylesheet
(`.chart .given`, `.chart .received`).
"""

import math
from dataclasses import dataclass, field

# Steps between labelled years, and between labelled counts, that read naturally.
_YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)
_COUNT_STEPS = (1, 2, 5)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css_class: str
    year: int
    count: int
    label: str
    url: str = ""  # where the bar leads, if anywhere


@dataclass
class YearChart:
    width: int
    height: int
    left: int
    top: int
    bottom: int
    right: int
    baseline: float = 0
    plot_right: float = 0
    bars: list[Bar] = field(default_factory=list)
    gaps: list[dict] = field(default_factory=list)  # years no register covers
    ticks: list[dict] = field(default_factory=list)
    year_labels: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    @property
    def first_year(self):
        return self.rows[0]["year"] if self.rows else None

    @property
    def last_year(self):
        return self.rows[-1]["year"] if self.rows else None


def nice_ceiling(value):
    """A round axis maximum and its step, in at most five steps: 7 -> (8, 2), 42 -> (50, 10)."""
    value = max(int(value), 1)
    magnitude = 1
    while True:
        for multiple in _COUNT_STEPS:
            step = multiple * magnitude
            if math.ceil(value / step) <= 5:
                return math.ceil(value / step) * step, step
        magnitude *= 10


def count_axis(peak, baseline, plot_height):
    """The count axis up to a round maximum above `peak`: (maximum, its labelled ticks)."""
    axis_max, step = nice_ceiling(peak)
    ticks = []
    for value in range(0, axis_max + 1, step):
        y = baseline - plot_height * value / axis_max
        ticks.append({"value": value, "y": round(y, 1), "label_y": round(y + 4, 1)})
    return axis_max, ticks


def year_step(slot_width, min_gap=34):
    """How many years apart the axis labels go so that they do not overlap."""
    for step in _YEAR_STEPS:
        if step * slot_width >= min_gap:
            return step
    return _YEAR_STEPS[-1]


def years_chart(given, received, *, covered=None, width=640, height=220):
    """Gifts per year, given and received side by side, for every year from the first to
    the last with a gift (years without gifts keep their place at zero).

    `given` and `received` map a year to a count. `covered`, when given, is the set of
    years some register covers: a year outside it without gifts is marked as a gap (no
    register covers it), not drawn as zero. Returns None when both are empty.
    """
    series = [(given, "given", " given"), (received, "received", " received")]
    return _year_bars(series, covered=covered, width=width, height=height)


def gifts_per_year_chart(counts, *, urls=None, current=None, width=480, height=150):
    """Gifts per year in one series (a list's gifts under its filters), each bar linking
    to `urls[year]` when given (the list narrowed to that year), the `current` year's
    bar marked. None when there is no dated gift."""
    chart = _year_bars([(counts, "gifts", "")], covered=None, width=width, height=height, right=18)
    if chart is not None:
        for bar in chart.bars:
            bar.url = (urls or {}).get(bar.year, "")
            if bar.year == current:
                bar.css_class += " current"
    return chart


def _year_bars(series, *, covered, width, height, right=8):
    """The chart of several series ([(counts by year, css class, verb)]) side by side."""
    years = sorted({year for counts, _css, _verb in series for year in counts})
    if not years:
        return None
    first, last = years[0], years[-1]
    chart = YearChart(width=width, height=height, left=36, right=right, top=12, bottom=28)
    plot_width = width - chart.left - chart.right
    plot_height = height - chart.top - chart.bottom
    baseline = chart.top + plot_height

    peak = max([n for counts, _css, _verb in series for n in counts.values()] + [1])
    axis_max, chart.ticks = count_axis(peak, baseline, plot_height)

    count = last - first + 1
    slot = plot_width / count
    # The series' bars side by side around the middle of the year's slot.
    bar_width = min(max(slot * 0.8 / len(series), 1), 28 * 2 / len(series))
    space = 2 * min(slot * 0.05, 1) if len(series) > 1 else 0
    label_step = year_step(slot)
    for index, year in enumerate(range(first, last + 1)):
        slot_x = chart.left + index * slot
        middle = slot_x + slot / 2
        numbers = [counts.get(year, 0) for counts, _css, _verb in series]
        gap = covered is not None and year not in covered and not any(numbers)
        row = {"year": year, "covered": not gap}
        row.update((css, n) for (_counts, css, _verb), n in zip(series, numbers, strict=True))
        chart.rows.append(row)
        if gap:
            chart.gaps.append(
                {
                    "x": round(slot_x, 1),
                    "y": chart.top,
                    "width": round(slot, 1),
                    "height": round(plot_height, 1),
                    "label": f"{year}: no imported register covers this year",
                }
            )
        start = middle - (len(series) * bar_width + (len(series) - 1) * space) / 2
        for position, ((_counts, css_class, verb), n) in enumerate(
            zip(series, numbers, strict=True)
        ):
            if not n:
                continue
            bar_height = plot_height * n / axis_max
            chart.bars.append(
                Bar(
                    x=round(start + position * (bar_width + space), 1),
                    y=round(baseline - bar_height, 1),
                    width=round(bar_width, 1),
                    height=round(bar_height, 1),
                    css_class=css_class,
                    year=year,
                    count=n,
                    label=f"{year}: {n:,} {'gift' if n == 1 else 'gifts'}{verb}",
                )
            )
        if year % label_step == 0:
            chart.year_labels.append({"year": year, "x": round(middle, 1)})
    chart.baseline = round(baseline, 1)
    chart.plot_right = chart.left + plot_width
    return chart


@dataclass
class PeriodChart:
    width: int
    height: int
    left: int
    top: int
    baseline: float
    plot_right: float
    bars: list[dict] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)


# Pixels per period: wide enough for its label at the stylesheet's 13 px ("1990s", "1998",
# "Mar"), so that the chart keeps its text size on a phone and scrolls in its box instead.
PERIOD_SLOTS = {"decade": 48, "year": 42, "month": 32}


def periods_chart(periods, level, *, height=170):
    """Gifts per period for the timeline's zoom, one bar per period in order: `periods` is
    [{"label": "1990s", "name": "the 1990s", "gifts": n, "current": bool}] and `level`
    one of PERIOD_SLOTS. None when no period has a gift."""
    if not any(period["gifts"] for period in periods):
        return None
    slot = PERIOD_SLOTS[level]
    left, right, top, bottom = 44, 8, 12, 26
    plot_height = height - top - bottom
    baseline = top + plot_height
    chart = PeriodChart(
        width=left + slot * len(periods) + right,
        height=height,
        left=left,
        top=top,
        baseline=baseline,
        plot_right=left + slot * len(periods),
    )
    axis_max, chart.ticks = count_axis(
        max(period["gifts"] for period in periods), baseline, plot_height
    )
    for index, period in enumerate(periods):
        x = left + index * slot
        chart.labels.append({"x": round(x + slot / 2, 1), "text": period["label"]})
        if not period["gifts"]:
            continue
        bar_height = plot_height * period["gifts"] / axis_max
        n = period["gifts"]
        chart.bars.append(
            {
                "x": round(x + slot * 0.15, 1),
                "y": round(baseline - bar_height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(bar_height, 1),
                "css_class": "gifts current" if period.get("current") else "gifts",
                "label": f"{period['name']}: {n:,} {'gift' if n == 1 else 'gifts'}",
            }
        )
    return chart
