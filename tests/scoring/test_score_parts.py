"""A score's three parts, each ranked among everyone scored that day, so that a profile can say
where a part stands instead of showing a figure nobody can compare."""

import math

import pytest

from scoring.models import SCORE_PARTS, Handle, Person, ScoreDetails
from scoring.selectors.profiles import ScorePart, person_profile
from tests.scoring.worlds import alice, handle, post, score_days, share, write_and_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def popular_and_niche(tmp_path):
    """Four people nobody engages with share Pop's post; Pop shares Niche's. Pop reaches more
    people, Niche more influential ones."""
    fans = [f"f{n}" for n in range(4)]
    records = [handle("pop", "pop", "Pop"), handle("niche", "niche", "Niche")]
    records += [post("p1", "pop"), post("n1", "niche"), share("pop", "niche", "n1")]
    records += [r for f in fans for r in (handle(f, f, f"Fan {f}"), share(f, "pop", "p1"))]
    write_and_import(tmp_path, records)
    score_days(21)


def parts_of(username):
    """The three parts every model has (persistence is tested in test_score_persistence)."""
    parts = person_profile(public_id=Handle.objects.get(username=username).person.public_id).parts
    return {name: parts[name] for name in SCORE_PARTS}


def test_each_part_is_ranked_among_everyone_scored_that_day(popular_and_niche):
    pop, niche, fan = parts_of("pop"), parts_of("niche"), parts_of("f0")

    # Six people: four fans with nothing, then Niche and Pop. A part's percentile is the share
    # of them whose figure is lower: Pop's network, 0 like the fans', is higher than nobody's.
    assert {name: part.percentile for name, part in pop.items()} == {
        "reach": 83.33, "amplification": 83.33, "network": 0.0,
    }  # fmt: skip
    assert {name: part.percentile for name, part in niche.items()} == {
        "reach": 66.67, "amplification": 66.67, "network": 83.33,
    }  # fmt: skip
    assert fan == {name: ScorePart(0.0, 0.0) for name in ("reach", "amplification", "network")}
    assert pop["reach"].figure > niche["reach"].figure
    assert niche["network"].figure > pop["network"].figure == 0.0


def test_parts_scored_before_they_were_ranked_keep_their_figures_alone(world):
    person = alice()
    details = ScoreDetails.objects.get(person=person)
    del details.data["percentiles"]
    details.save()

    parts = person_profile(public_id=person.public_id).parts

    assert parts["reach"] == ScorePart(details.data["reach"], None)
    assert person_profile(public_id=Person.objects.create().public_id).parts == {}


def test_a_profile_says_where_each_part_stands_with_its_figure_at_hand(client, world):
    person = alice()
    details = person.score_details

    body = client.get(f"/p/{person.public_id}/").content.decode()

    for name, figure in (
        ("Reach", f"{details['reach']:.0f}"),
        ("Amplification", f"{details['amplification']:.1f}"),
        ("Network", f"{details['network']:.1f}"),
    ):
        share = math.floor(details["percentiles"][name.lower()])
        assert (
            f'<dd class="part-rank" title="{name}: {figure}">'
            f"Higher than <strong>{share} %</strong> of people</dd>"
        ) in body
        assert f'<meter class="part-bar" min="0" max="100" value="{share}"' in body
        assert f'<p>{name}: <span class="part-value">{figure}</span></p>' in body
    assert '<a class="score-link" href="/about/score/"' in body
    assert "from 0 to 1" not in body


def test_a_profile_scored_without_ranked_parts_shows_their_figures(client, world):
    person = alice()
    ScoreDetails.objects.filter(person=person).update(
        data={"reach": 21.0, "amplification": 3.25, "network": 194.3}
    )

    body = client.get(f"/p/{person.public_id}/").content.decode()

    assert '<dd class="part-value">21</dd>' in body
    assert '<dd class="part-value">194.3</dd>' in body
    assert "<meter" not in body


def test_a_score_stored_without_its_parts_shows_none(client, world):
    person = alice()
    ScoreDetails.objects.filter(person=person).update(data={})

    response = client.get(f"/p/{person.public_id}/")

    assert response.status_code == 200
    assert 'class="card part"' not in response.content.decode()
