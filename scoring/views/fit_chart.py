"""A backtest's figures as SVG bars drawn on the server, as scoring.views.charts draws the score
history: numbers in, coordinates out, and the markup. One panel a measure (Spearman's rho,
top-1 % precision), one bar a predictor on a track from 0 to 1; a negative rho draws no bar."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from scoring.selectors.backtests import Predictor

WIDTH = 440  # narrow, so that its words stay legible on a phone
LABEL = 140  # the predictors' names, left of the bars
TRACK = 250  # the bars' length at 1
HEADING, ROW, BAR, GAP = 26, 26, 16, 14
PAD = 12  # inside the frame
MEASURES = (("spearman", "Spearman's rho"), ("top_precision", "Top-1 % precision"))


@dataclass(frozen=True)
class Bar:
    y: float
    length: float
    label: str
    value: str
    is_model: bool


@dataclass(frozen=True)
class Panel:
    y: float  # of its heading's baseline
    heading: str
    bars: list[Bar]


@dataclass(frozen=True)
class FitChart:
    panels: list[Panel]
    summary: str  # the chart in words, for screen readers
    height: float
    width: int = WIDTH


def fit_chart(predictors: Sequence[Predictor]) -> FitChart:
    panels, words = [], []
    top = 0
    for field, heading in MEASURES:
        bars = []
        for i, p in enumerate(predictors):
            value = getattr(p, field)
            bars.append(
                Bar(
                    y=top + HEADING + i * ROW,
                    length=round(TRACK * min(max(value, 0.0), 1.0), 1),
                    label=p.label,
                    value=f"{value:.3f}",
                    is_model=p.is_model,
                )
            )
        panels.append(Panel(y=top + HEADING - 8, heading=heading, bars=bars))
        words.append(f"{heading}: " + ", ".join(f"{b.label} {b.value}" for b in bars) + ".")
        top += HEADING + len(predictors) * ROW + GAP
    return FitChart(panels=panels, summary=" ".join(words), height=top - GAP)


def fit_svg(chart: FitChart) -> SafeString:
    panels = format_html_join("", "{}", ((_panel(panel),) for panel in chart.panels))
    return format_html(
        '<svg class="chart fit-chart" viewBox="{} {} {} {}" role="img" '
        'aria-labelledby="fit-chart-title"><title id="fit-chart-title">{}</title>{}</svg>',
        -PAD,
        -PAD,
        chart.width + 2 * PAD,
        chart.height + 2 * PAD,
        chart.summary,
        panels,
    )


def _panel(panel: Panel) -> SafeString:
    bars = format_html_join(
        "",
        '<text x="0" y="{0}" dy="13" class="chart-label{1}">{2}</text>'
        '<rect x="{3}" y="{0}" width="{4}" height="{5}" rx="3" class="chart-track"/>'
        '<rect x="{3}" y="{0}" width="{6}" height="{5}" rx="3" class="chart-bar{1}"/>'
        '<text x="{7}" y="{0}" dx="6" dy="13" class="chart-label{1}">{8}</text>',
        (
            (
                bar.y,
                " model" if bar.is_model else "",
                bar.label,
                LABEL,
                TRACK,
                BAR,
                bar.length,
                LABEL + bar.length,
                bar.value,
            )
            for bar in panel.bars
        ),
    )
    return format_html(
        '<text x="0" y="{}" class="chart-heading">{}</text>{}', panel.y, panel.heading, bars
    )
