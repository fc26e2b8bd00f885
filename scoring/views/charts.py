"""A score history as an SVG line chart drawn on the server: numbers in, coordinates out, and
the markup. The markup is built here rather than by a template: on the profile page, the site's
busiest, the template's per-node cost made the chart much of the page's rendering
(docs/PERFORMANCE.md, "Profile pages")."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 200
# A phone's chart: drawn about as wide as a phone shows it, so that its labels keep their size
# instead of shrinking with a wide chart to a few pixels. site.css shows one chart or the other.
NARROW_WIDTH = 300
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 8, 24  # margins for the axis labels
GRID = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class HistoryChart:
    points: str  # the polyline's "x,y x,y …"
    last: tuple[float, float] | None  # where the latest score stands, for a dot
    grid: list[Tick]  # horizontal lines: y position and score
    days: list[Tick]  # x position and date, under the axis
    summary: str  # the chart in words, for screen readers
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT


def history_chart(
    history: list[tuple[date, float]], *, end: date, days: int, width: int = WIDTH
) -> HistoryChart:
    """`history` (day, score), oldest first, over the `days` ending with `end`."""
    start = end - timedelta(days=days - 1)
    inner_width, inner_height = width - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + inner_width * (day - start).days / max(days - 1, 1), 1)

    def y(score: float) -> float:
        return round(TOP + inner_height * (1 - score / 100), 1)

    coordinates = [(x(day), y(score)) for day, score in history if start <= day <= end]
    return HistoryChart(
        points=" ".join(f"{cx},{cy}" for cx, cy in coordinates),
        last=coordinates[-1] if coordinates else None,
        grid=[Tick(y(score), str(score)) for score in GRID],
        days=[Tick(x(day), f"{day:%-d %b}") for day in (start, start + (end - start) / 2, end)],
        summary=_summary(history),
        width=width,
    )


def history_svgs(history: list[tuple[date, float]], *, end: date, days: int) -> SafeString:
    """The chart for a wide screen and the chart for a phone, of which a page shows one."""
    return format_html(
        "{}{}",
        history_svg(history_chart(history, end=end, days=days), variant="wide"),
        history_svg(history_chart(history, end=end, days=days, width=NARROW_WIDTH), "narrow"),
    )


def history_svg(chart: HistoryChart, variant: str = "") -> SafeString:
    """The chart's markup; a `variant` names its class and, two charts being on one page,
    the id of its title."""
    last_day = len(chart.days) - 1
    grid = format_html_join(
        "",
        '<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" class="chart-grid"/>'
        '<text x="{0}" y="{2}" dx="-6" dy="4" text-anchor="end" class="chart-label">{3}</text>',
        ((chart.left, chart.width, tick.position, tick.label) for tick in chart.grid),
    )
    days = format_html_join(
        "",
        '<text x="{}" y="{}" dy="-6" text-anchor="{}" class="chart-label">{}</text>',
        (
            (tick.position, chart.height, _anchor(i, last_day), tick.label)
            for i, tick in enumerate(chart.days)
        ),
    )
    line = ""
    if chart.last:
        line = format_html(
            '<polyline points="{}" class="chart-line"/>'
            '<circle cx="{}" cy="{}" r="4" class="chart-dot"/>',
            chart.points,
            *chart.last,
        )
    title = "chart-title-narrow" if variant == "narrow" else "chart-title"
    return format_html(
        '<svg class="chart{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}">'
        '<title id="{}">{}</title>{}{}{}</svg>',
        f" chart-{variant}" if variant else "",
        chart.width,
        chart.height,
        title,
        title,
        chart.summary,
        grid,
        days,
        line,
    )


def _anchor(i: int, last: int) -> str:
    return "start" if i == 0 else "end" if i == last else "middle"


def _summary(history: list[tuple[date, float]]) -> str:
    if not history:
        return "No score history yet."
    (first_day, first), (last_day, last) = history[0], history[-1]
    if len(history) == 1:
        return f"Score {first:.0f} on {first_day:%-d %B}, the only day scored so far."
    low, high = min(s for _, s in history), max(s for _, s in history)
    return (
        f"Score from {first:.0f} on {first_day:%-d %B} to {last:.0f} on {last_day:%-d %B}, "
        f"between {low:.0f} and {high:.0f}."
    )
