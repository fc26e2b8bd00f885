"""The public page on how the score is made and how well it predicts (/about/score/), and the
links that lead there."""

from datetime import date

import pytest

from scoring.engine.versions import LIVE, MODELS
from scoring.views.about import MATHOVERFLOW_MODELS
from tests.factories import ModelBacktestFactory
from tests.scoring.worlds import alice

pytestmark = pytest.mark.django_db

ABOUT = "/about/score/"
LINK = f'<a href="{ABOUT}">'


def page(response):
    """The page's markup with each run of white space made one space."""
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_page_shows_the_latest_measurement_against_the_naive_counts_and_each_week(
    client, django_assert_num_queries
):
    ModelBacktestFactory(measured_on=date(2026, 11, 22), spearman=0.312, candidates=2725)
    ModelBacktestFactory(measured_on=date(2026, 11, 29))

    with django_assert_num_queries(1):
        response = client.get(ABOUT)

    body = page(response)
    assert "Measured on 29 November 2026: 2,917 people scored as of 30 October 2026" in body
    assert (
        "By Spearman&#x27;s rho, the score (0.259) ranked below the engagement count (0.501) and "
        "the count of distinct engagers (0.336), and above PageRank (0.217). By top-1 % "
        "precision, it (0.483) ranked below the count of distinct engagers (0.586), level with "
        "the engagement count (0.483), and above PageRank (0.379)."
    ) in body
    assert body.count('<svg class="chart fit-chart"') == 1
    assert "Spearman&#x27;s rho: Sway score (v1) 0.259, Distinct engagers 0.336" in body
    assert (
        '<tr class="model"> <th scope="row">Sway score (v1)</th> '
        '<td class="number">0.259</td> <td class="number">0.483</td>'
    ) in body
    assert '<th scope="row">Engagement count</th> <td class="number">0.501</td>' in body
    assert (
        '<tr> <td>29 Nov 2026</td> <td class="number">0.259</td> <td class="number">0.501</td> '
        '<td class="number">0.483</td> <td class="number">0.586</td> <td>v1</td> '
        '<td class="number">2,917</td> </tr> <tr> <td>22 Nov 2026</td> '
        '<td class="number">0.312</td>'
    ) in body
    assert "Not measured yet" not in body


def test_a_score_that_beats_every_naive_count_says_so(client):
    ModelBacktestFactory(spearman=0.6, top_precision=0.7)

    body = page(client.get(ABOUT))

    assert "The score ranked better than every naive count on both measures." in body
    assert "did not beat" not in body


def test_a_score_below_every_naive_count_on_a_measure_says_so_with_its_figure(client):
    ModelBacktestFactory(spearman=0.1, top_precision=0.7)

    body = page(client.get(ABOUT))

    assert (
        "By Spearman&#x27;s rho, the score (0.100) ranked below every naive count. "
        "By top-1 % precision, it (0.700) ranked above every naive count."
    ) in body


def test_the_real_data_figures_are_the_live_models_compared_in_words(client, monkeypatch):
    monkeypatch.setattr("scoring.views.about.LIVE", "v1")

    body = page(client.get(ABOUT))

    assert (
        "On MathOverflow, version v1 ranks about as well as the naive counts. By Spearman&#x27;s "
        "rho, it (0.341) ranked below the count of distinct engagers (0.349) and the engagement "
        "count (0.349), and above PageRank (0.325). By top-1 % precision, it (0.422) ranked "
        "above every naive count. That is not yet better by a margin that matters"
    ) in body
    assert '<th scope="row">Sway score (v1)</th> <td class="number">0.341</td>' in body


def test_a_live_model_ahead_of_every_naive_count_on_real_data_says_so(client, monkeypatch):
    monkeypatch.setattr("scoring.views.about.LIVE", "v3")

    body = page(client.get(ABOUT))

    assert (
        "On MathOverflow, version v3 ranks ahead of the naive counts. It ranked better than "
        "every naive count on both measures."
    ) in body
    assert (
        '<tr class="model"> <th scope="row">Sway score (v3)</th> '
        '<td class="number">0.384</td> <td class="number">0.442</td>'
    ) in body
    assert "Sway score (v1)" not in body
    assert "not yet better" not in body


def test_every_model_version_has_its_real_data_figures():
    assert set(MATHOVERFLOW_MODELS) == set(MODELS)


def test_before_any_measurement_the_page_explains_the_score_and_says_none_was_made(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get(ABOUT)

    body = page(response)
    assert "Not measured yet: the first measurement comes with the weekly run." in body
    assert "<svg" not in body
    assert "<dt>Share</dt><dd>1.0</dd>" in body
    assert [part in body for part in ("<dt>Reach</dt>", "<dt>Amplification</dt>",
                                      "<dt>Network</dt>")] == [True] * 3  # fmt: skip
    assert "score 10, however active" in body
    assert f"({LIVE} today)" in body
    assert f'<th scope="row">Sway score ({LIVE})</th>' in body
    # The published MathOverflow figures and the data set they come from.
    assert '<th scope="row">Distinct engagers</th> <td class="number">0.349</td>' in body
    assert "Stanford SNAP <cite>sx-mathoverflow</cite>" in body
    assert "WSDM 2017" in body
    assert "CC BY-SA" in body


def test_every_page_footer_and_every_profile_score_lead_to_the_page(client, world):
    home = page(client.get("/"))
    profile = page(client.get(f"/p/{alice().public_id}/"))

    assert f"{LINK}How the score works</a>" in home
    assert f'<p class="score-how">{LINK}How is this made?</a></p>' in profile
    assert f"{LINK}How the score works</a>" in profile


@pytest.mark.parametrize(
    "query", ["q=%01%1B", "page=99999999999999999999999999", "week=%ED%A0%80", "%01=-1e309&q=%FF"]
)
def test_hostile_query_strings_change_nothing(client, query):
    ModelBacktestFactory()

    body = page(client.get(f"{ABOUT}?{query}"))

    assert "Measured on 29 November 2026" in body


def test_the_page_only_answers_reads(client):
    assert client.post(ABOUT).status_code == 405


SELECTIVITY = "engagement from an account that engaged with more than 10 different accounts"
PERSISTENCE = (
    "<dt>Persistence</dt> <dd>Engagement on many different days, from different people: the "
    "days on which people engaged, never counting more days than people"
)


def test_the_page_describes_the_first_models_decay_and_three_parts(client, monkeypatch):
    monkeypatch.setattr("scoring.views.about.LIVE", "v1")

    body = page(client.get(ABOUT))

    assert "its weight halves every 30 days, and over the last 30 days" in body
    assert "<dt>Reply</dt><dd>0.8</dd>" in body
    assert "Three parts" in body
    assert "adds its own three parts" in body
    assert "says less" not in body
    assert "Persistence" not in body
    assert "(v1 today)" in body


def test_the_page_describes_the_live_models_own_decay_and_selectivity(client, monkeypatch):
    monkeypatch.setattr("scoring.views.about.LIVE", "v2")

    body = page(client.get(ABOUT))

    assert "it weighs half after 5 days and a third after twice that" in body
    assert "halves every" not in body
    assert "<dt>Reply</dt><dd>0.4</dd>" in body
    assert SELECTIVITY in body
    assert "one that engaged with ten times as many counts for 0.18 of a full one" in body
    assert "Persistence" not in body
    assert "Three parts" in body
    assert "(v2 today)" in body
    assert '<th scope="row">Sway score (v2)</th> <td class="number">0.369</td>' in body


def test_a_model_counting_persistence_describes_it_as_a_fourth_part(client, monkeypatch):
    monkeypatch.setattr("scoring.views.about.LIVE", "v3")

    body = page(client.get(ABOUT))

    assert PERSISTENCE in body
    assert "Four parts" in body
    assert "adds its own four parts" in body
    assert SELECTIVITY in body
    assert "and over the last 40 days of the window it fades to nothing" in body
    assert "(v3 today)" in body
