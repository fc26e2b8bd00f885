from scoring.selectors.backtests import Predictor
from scoring.views.fit_chart import LABEL, TRACK, fit_chart, fit_svg

PREDICTORS = [
    Predictor("v1", 0.5, 1.0, is_model=True),
    Predictor("pagerank", -0.2, 0.25),
]


def test_each_measure_is_a_panel_of_bars_from_0_to_1_and_a_negative_rho_draws_none():
    chart = fit_chart(PREDICTORS)

    rho, top = chart.panels
    assert (rho.heading, top.heading) == ("Spearman's rho", "Top-1 % precision")
    assert [(b.label, b.length, b.value, b.is_model) for b in rho.bars] == [
        ("Sway score (v1)", TRACK / 2, "0.500", True),
        ("PageRank", 0.0, "-0.200", False),
    ]
    assert [b.length for b in top.bars] == [TRACK, TRACK / 4]
    assert top.bars[0].y - rho.bars[0].y == 26 + 2 * 26 + 14  # a heading, two rows, a gap
    assert chart.summary == (
        "Spearman's rho: Sway score (v1) 0.500, PageRank -0.200. "
        "Top-1 % precision: Sway score (v1) 1.000, PageRank 0.250."
    )


def test_the_markup_has_a_track_and_a_bar_each_and_its_words():
    chart = fit_chart(PREDICTORS)

    svg = fit_svg(chart)

    assert svg.startswith('<svg class="chart fit-chart" viewBox="-12 -12 464 194" role="img"')
    assert f'<title id="fit-chart-title">{chart.summary}</title>'.replace("'", "&#x27;") in svg
    assert svg.count('class="chart-track"') == svg.count('class="chart-bar') == 4
    assert (
        f'<rect x="{LABEL}" y="26" width="{TRACK / 2}" height="16" rx="3" class="chart-bar model"/>'
        in svg
    )
    assert svg.count('class="chart-label model">') == 4  # its name and figure, in each panel
