"""Matching post texts against topic names: whole words, folded, multi-word, hashtags."""

import csv

import pytest

from scoring.topic_matching import TopicMatcher
from tests.scoring.test_taxonomy import KLOUT

ICE_CREAM, JAVA, CAFES, IT, LOST, CFL, CPP = range(7)
# "Ice Cream" in mathematical bold letters, as styled posts write it: they fold too.
BOLD_ICE_CREAM = "\U0001d408\U0001d41c\U0001d41e \U0001d402\U0001d42b\U0001d41e\U0001d41a\U0001d426"

MATCHER = TopicMatcher(
    [
        (ICE_CREAM, ["Ice Cream", "gelato"]),
        (JAVA, ["Java"]),
        (CAFES, ["Café culture"]),
        (IT, ["IT"]),
        (LOST, ["Lost (TV Series)", "Lost TV show"]),
        (CFL, ["Canadian Football League (CFL)"]),
        (CPP, ["C++"]),
    ]
)


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Best ICE  CREAM in town!", {ICE_CREAM}),
        ("ice-cream, then gelato", {ICE_CREAM}),
        ("#IceCream #ice_cream", {ICE_CREAM}),
        ("I like ice. Cream is fine", set()),  # the words, not the phrase
        ("icecreamery opening", set()),  # never inside a longer word
        ("JavaScript all day", set()),
        ("Java, at last", {JAVA}),
        ("CAFE CULTURE in Zürich", {CAFES}),
        ("café culture", {CAFES}),
        (BOLD_ICE_CREAM, {ICE_CREAM}),
        ("IT jobs are up", {IT}),
        ("it is what it is", set()),  # an acronym only in capitals
        ("I lost my keys", set()),  # a disambiguated name only by its aliases
        ("The Lost TV show finale", {LOST}),
        ("CFL playoffs and the canadian football league", {CFL}),
        ("cfl", set()),
        ("Modern C++ tips", {CPP}),
        ("", set()),
    ],
)
def test_matching(text, topics):
    assert MATCHER.match(text) == topics


def test_the_klout_ontology_matches_names_and_hashtags():
    with (KLOUT / "klout_topic_ontology_20180601.csv").open(encoding="utf-8") as file:
        names = {int(row["topicId"]): row["topicDisplayName"] for row in csv.DictReader(file)}
    matcher = TopicMatcher((pk, [name]) for pk, name in names.items())

    found = matcher.match("Zumba at the gym, then #WordOfMouthMarketing with @ana in Zürich")

    assert {names[pk] for pk in found} >= {"Zumba", "Word of Mouth Marketing", "Zurich"}
    assert not matcher.match("ana bob")


def test_no_topics_match_nothing():
    assert TopicMatcher([]).match("anything at all") == set()
