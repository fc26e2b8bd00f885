"""A campaign's results day by day as an SVG chart drawn on the server: claims, fulfilments
and the conversation's posts as lines over one scale, the engagement those posts received as
bars under them over its own. Drawn twice, wide and about as wide as a phone shows it, so that
its labels keep their size; site.css shows one or the other (as it does the score history's).
The page gives the same figures as a table too."""

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from campaigns.selectors.brands import Day

WIDTH, NARROW_WIDTH, HEIGHT = 640, 300, 230
LEFT, RIGHT = 36, 10  # margins for the scales' labels
LINES_TOP, LINES_BOTTOM = 24, 124
BARS_TOP, BARS_BOTTOM = 156, 204
DOTTED_DAYS = 31  # up to a month, each day's figures are dots too
LABEL_SPACE = 56  # between two days' labels ("30 Dec", about 35 wide), so that none overlap
LINES = ("claims", "fulfilled", "posts")  # Day's fields, drawn as lines in this order


@dataclass(frozen=True)
class Frame:
    """Where a chart of `days` days puts things, at a width."""

    width: int
    days: int

    @property
    def step(self) -> float:
        return (self.width - LEFT - RIGHT) / self.days

    def x(self, i: int) -> float:
        return round(LEFT + self.step * (i + 0.5), 1)


def results_svgs(days: list[Day]) -> SafeString:
    """The chart for a wide screen and the chart for a phone, of which a page shows one."""
    return format_html(
        "{}{}", results_svg(days, WIDTH, "wide"), results_svg(days, NARROW_WIDTH, "narrow")
    )


def results_svg(days: list[Day], width: int, variant: str) -> SafeString:
    frame = Frame(width, len(days))
    title = f"results-title-{variant}"
    return format_html(
        '<svg class="chart chart-{} results-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}"><title id="{}">{}</title>{}{}{}{}</svg>',
        variant,
        width,
        HEIGHT,
        title,
        title,
        summary(days),
        _scale(frame, LINES_TOP, LINES_BOTTOM, _highest(days, *LINES), "Claims, fulfilled, posts"),
        _lines(days, frame),
        _engagement(days, frame),
        _day_labels(days, frame),
    )


def _highest(days: list[Day], *fields: str) -> int:
    return max((getattr(day, name) for day in days for name in fields), default=0)


def _scale(frame: Frame, top: int, bottom: int, highest: int, heading: str) -> SafeString:
    """A panel's heading, its top and bottom lines and their figures."""
    return format_html(
        '<text x="{0}" y="{1}" dy="-8" class="chart-label chart-panel">{2}</text>'
        '<line x1="{0}" x2="{3}" y1="{1}" y2="{1}" class="chart-grid"/>'
        '<text x="{0}" y="{1}" dx="-6" dy="4" text-anchor="end" class="chart-label">{4}</text>'
        '<line x1="{0}" x2="{3}" y1="{5}" y2="{5}" class="chart-grid"/>'
        '<text x="{0}" y="{5}" dx="-6" dy="4" text-anchor="end" class="chart-label">0</text>',
        LEFT,
        top,
        heading,
        frame.width - RIGHT,
        max(highest, 1),
        bottom,
    )


def _height(value: int, highest: int, span: int) -> float:
    return round(span * value / max(highest, 1), 1)


def _lines(days: list[Day], frame: Frame) -> SafeString:
    highest = _highest(days, *LINES)
    span = LINES_BOTTOM - LINES_TOP

    def y(value: int) -> float:
        return round(LINES_BOTTOM - _height(value, highest, span), 1)

    lines = format_html_join(
        "",
        '<polyline points="{}" class="chart-line series-{}"/>',
        (
            (" ".join(f"{frame.x(i)},{y(getattr(day, name))}" for i, day in enumerate(days)), name)
            for name in LINES
        ),
    )
    if len(days) > DOTTED_DAYS:
        return lines
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" class="chart-dot series-{}"/>',
        ((frame.x(i), y(getattr(day, name)), name) for name in LINES for i, day in enumerate(days)),
    )
    return format_html("{}{}", lines, dots)


def _engagement(days: list[Day], frame: Frame) -> SafeString:
    """Its panel: bars over their scale, or words where there is nothing to draw."""
    highest = _highest(days, "engagement")
    if highest:
        scale = _scale(frame, BARS_TOP, BARS_BOTTOM, highest, "Engagement")
        return format_html("{}{}", scale, _bars(days, frame, highest))
    return format_html(
        '<text x="{0}" y="{1}" dy="-8" class="chart-label chart-panel">Engagement</text>'
        '<line x1="{0}" x2="{2}" y1="{3}" y2="{3}" class="chart-grid"/>'
        '<text x="{4}" y="{5}" text-anchor="middle" class="chart-label">No engagement yet</text>',
        LEFT,
        BARS_TOP,
        frame.width - RIGHT,
        BARS_BOTTOM,
        round((LEFT + frame.width - RIGHT) / 2, 1),
        (BARS_TOP + BARS_BOTTOM) // 2,
    )


def _bars(days: list[Day], frame: Frame, highest: int) -> SafeString:
    width = round(max(frame.step * 0.6, 1), 1)
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar series-engagement"/>',
        (
            (
                round(frame.x(i) - width / 2, 1),
                BARS_BOTTOM - (height := _height(day.engagement, highest, BARS_BOTTOM - BARS_TOP)),
                width,
                height,
            )
            for i, day in enumerate(days)
            if day.engagement
        ),
    )


def _day_labels(days: list[Day], frame: Frame) -> SafeString:
    """Every day, or every so many days where they would not fit, from the first to the last,
    each with a tick under the bars."""
    last = len(days) - 1
    return format_html_join(
        "",
        '<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" class="chart-tick"/>'
        '<text x="{0}" y="{3}" dy="-6" text-anchor="{4}" class="chart-label chart-day">{5}</text>',
        (
            (
                frame.x(i),
                BARS_BOTTOM,
                BARS_BOTTOM + 4,
                HEIGHT,
                _anchor(i, last),
                f"{days[i].day:%-d %b}",
            )
            for i in _labelled(len(days), frame)
        ),
    )


def _labelled(count: int, frame: Frame) -> list[int]:
    """The days labelled: the first, then one every `every` days, and the last, which takes
    the place of the one before it if they would overlap."""
    every = math.ceil(LABEL_SPACE / frame.step)
    labelled = list(range(0, count - 1, every))
    if len(labelled) > 1 and (count - 1 - labelled[-1]) * frame.step < LABEL_SPACE:
        labelled.pop()
    return [*labelled, count - 1]


def _anchor(i: int, last: int) -> str:
    """Where a day's label stands to its day: the first and last keep inside the chart."""
    if i == last == 0:
        return "middle"
    return "start" if i == 0 else "end" if i == last else "middle"


def summary(days: list[Day]) -> str:
    """The chart in words, for screen readers."""
    if not days:
        return "No day of the campaign has begun yet."
    total = {name: sum(getattr(day, name) for day in days) for name in (*LINES, "engagement")}
    said = (
        f"From {days[0].day:%-d %B} to {days[-1].day:%-d %B}: {total['claims']} claimed, "
        f"{total['fulfilled']} fulfilled, {total['posts']} posts naming the campaign and "
        f"{total['engagement']} engagements with them."
    )
    busiest = max(days, key=lambda day: day.claims)
    if busiest.claims:
        said += f" Most claims on {busiest.day:%-d %B}: {busiest.claims}."
    return said
