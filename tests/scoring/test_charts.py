from datetime import date, timedelta

from scoring.charts import HEIGHT, LEFT, WIDTH, history_chart

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
