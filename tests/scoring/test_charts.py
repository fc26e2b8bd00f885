from datetime import date, timedelta

from scoring.views.charts import (
    HEIGHT,
    LEFT,
    NARROW_WIDTH,
    WIDTH,
    history_chart,
    history_svg,
    history_svgs,
)

END = date(2026, 11, 22)


def test_the_line_spans_the_days_and_the_scores_from_bottom_to_top():
    chart = history_chart([(END - timedelta(days=89), 0.0), (END, 100.0)], end=END, days=90)

    (first_x, first_y), (last_x, last_y) = (
        tuple(map(float, point.split(","))) for point in chart.points.split()
    )
    assert (first_x, last_x) == (LEFT, WIDTH - 8)
    assert first_y > last_y == 8.0
    assert chart.last == (last_x, last_y)
    assert [tick.label for tick in chart.grid] == ["0", "25", "50", "75", "100"]
    assert [tick.label for tick in chart.days] == ["25 Aug", "8 Oct", "22 Nov"]
    assert chart.summary == "Score from 0 on 25 August to 100 on 22 November, between 0 and 100."
    assert chart.height == HEIGHT


def test_days_before_the_window_are_left_out_and_no_history_says_so():
    chart = history_chart([(END - timedelta(days=200), 50.0)], end=END, days=90)
    assert (chart.points, chart.last) == ("", None)

    assert history_chart([], end=END, days=90).summary == "No score history yet."


def test_the_chart_markup_has_its_line_dot_labels_and_words():
    chart = history_chart([(END - timedelta(days=1), 40.0), (END, 60.0)], end=END, days=90)

    svg = history_svg(chart)

    assert svg.startswith('<svg class="chart" viewBox="0 0 640 200" role="img"')
    assert f'<title id="chart-title">{chart.summary}</title>' in svg
    assert svg.count("<line ") == 5
    assert f'<polyline points="{chart.points}" class="chart-line"/>' in svg
    assert f'<circle cx="{chart.last[0]}" cy="{chart.last[1]}" r="4"' in svg
    anchors = [f'text-anchor="{a}" class="chart-label">{t.label}' for a, t in
               zip(("start", "middle", "end"), chart.days, strict=True)]  # fmt: skip
    assert all(anchor in svg for anchor in anchors)


def test_a_chart_without_points_has_no_line():
    svg = history_svg(history_chart([], end=END, days=90))

    assert "<polyline" not in svg
    assert "No score history yet." in svg


def test_a_chart_of_one_day_says_it_is_the_only_day_scored():
    chart = history_chart([(END, 42.4)], end=END, days=90)

    assert chart.summary == "Score 42 on 22 November, the only day scored so far."
    assert chart.last == (WIDTH - 8, 104.8)  # at the end, 42.4 % of the way up


def test_a_phone_gets_a_narrower_chart_whose_labels_keep_their_size():
    history = [(END - timedelta(days=1), 40.0), (END, 60.0)]

    wide, narrow = history_svgs(history, end=END, days=90).split("</svg>")[:2]

    assert wide.startswith(
        '<svg class="chart chart-wide" viewBox="0 0 640 200" role="img" '
        'aria-labelledby="chart-title"><title id="chart-title">'
    )
    assert narrow.startswith(
        f'<svg class="chart chart-narrow" viewBox="0 0 {NARROW_WIDTH} 200" role="img" '
        'aria-labelledby="chart-title-narrow"><title id="chart-title-narrow">'
    )
    narrow_chart = history_chart(history, end=END, days=90, width=NARROW_WIDTH)
    assert narrow_chart.last == (NARROW_WIDTH - 8, 75.2)  # as high as on the wide one
    assert f'<polyline points="{narrow_chart.points}" class="chart-line"/>' in narrow
    assert narrow.count('class="chart-label"') == wide.count('class="chart-label"') == 8
