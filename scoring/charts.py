"""A score history as an SVG line chart drawn on the server: numbers in, coordinates out."""

from dataclasses import dataclass
from datetime import date, timedelta

WIDTH, HEIGHT = 640, 200
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


def history_chart(history: list[tuple[date, float]], *, end: date, days: int) -> HistoryChart:
    """`history` (day, score), oldest first, over the `days` ending with `end`."""
    start = end - timedelta(days=days - 1)
    inner_width, inner_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

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
    )


def _summary(history: list[tuple[date, float]]) -> str:
    if not history:
        return "No score history yet."
    (first_day, first), (last_day, last) = history[0], history[-1]
    low, high = min(s for _, s in history), max(s for _, s in history)
    return (
        f"Score from {first:.0f} on {first_day:%-d %B} to {last:.0f} on {last_day:%-d %B}, "
        f"between {low:.0f} and {high:.0f}."
    )
