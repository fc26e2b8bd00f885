"""Klout's API v2 on Sway: the same paths and JSON shapes, the key in the `key` parameter."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command

from marketplace.api_keys.lookup import api_key_of
from marketplace.api_keys.services import api_key_create, api_key_revoke
from marketplace.api_keys.throttling import ApiKeyThrottle
from marketplace.models import ApiScope
from scoring.models import Handle, Person, ScoreSnapshot, Topic
from scoring.selectors.klout import klout_score, klout_users, scored_people
from scoring.selectors.people import scored_day
from tests.scoring.worlds import alice

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(world):
    return api_key_create(name="Old partner", scope=ApiScope.READ).key


def get(client, path, key, **params):
    return client.get(path, {"key": key, **params} if key else params)


def test_identity_by_twitter_screen_name_and_ids(client, key):
    person = alice()
    twitter = Handle.objects.get(username="Alice")

    by_name = get(client, "/v2/identity.json/twitter", key, screenName="alice")
    by_id = get(client, f"/v2/identity.json/tw/{twitter.external_id}", key)
    back = get(client, f"/v2/identity.json/klout/{person.public_id}/tw", key)

    assert by_name.json() == by_id.json() == {"id": person.public_id, "network": "ks"}
    assert back.json() == {"id": twitter.external_id, "network": "tw"}
    assert get(client, "/v2/identity.json/ig/123", key).json() == {
        "error": 404, "description": "No user with the ig id 123.",
    }  # fmt: skip


def test_a_user_has_a_nick_a_score_with_its_bucket_and_day_week_month_changes(client, key):
    person = alice()
    ScoreSnapshot.objects.filter(person=person, day=person.score_day).update(score=person.score)
    yesterday = ScoreSnapshot.objects.get(person=person, day="2026-11-21").score

    user = get(client, f"/v2/user.json/{person.public_id}", key).json()
    score = get(client, f"/v2/user.json/{person.public_id}/score", key).json()

    changes = {"dayChange": round(person.score - yesterday, 2), "weekChange": 0.0,
               "monthChange": 0.0}  # fmt: skip
    value = round(person.score, 2)
    bucket = f"{int(value // 10) * 10}-{int(value // 10) * 10 + 9}"
    assert user == {
        "kloutId": person.public_id, "nick": "Alice",
        "score": {"score": value, "bucket": bucket}, "scoreDeltas": changes,
    }  # fmt: skip
    assert score == {"score": value, "scoreDelta": changes, "bucket": bucket}


def test_topics_and_influence_in_klouts_shapes(client, key):
    person = alice()

    topics = get(client, f"/v2/user.json/{person.public_id}/topics", key).json()
    influence = get(client, f"/v2/user.json/{person.public_id}/influence", key).json()

    python = Topic.objects.get(slug="python")
    assert {"id": str(python.pk), "displayName": "Python", "name": "Python", "slug": "python",
            "imageUrl": "", "topicType": "sub"} in topics  # fmt: skip
    assert "books" not in {t["slug"] for t in topics}  # sensitive
    bob = Person.objects.get(display_name="Bob Stone")
    [entity] = [
        e["entity"] for e in influence["myInfluencees"] if e["entity"]["id"] == bob.public_id
    ]
    assert set(entity["payload"]) == {"kloutId", "nick", "score", "scoreDeltas"}
    assert entity["payload"]["nick"] == "bob"
    assert influence["myInfluenceesCount"] == len(influence["myInfluencees"])
    assert set(influence) == {"myInfluencers", "myInfluencees", "myInfluencersCount",
                              "myInfluenceesCount"}  # fmt: skip


@pytest.mark.parametrize(
    "bucket", [(0.4, "0-9"), (63.81, "60-69"), (90, "90-100"), (100, "90-100")]
)
def test_buckets_run_from_0_9_to_90_100(bucket):
    from scoring.selectors.klout import bucket as bucket_of

    assert bucket_of(bucket[0]) == bucket[1]


def test_a_missing_invalid_or_revoked_key_is_refused_and_an_unknown_user_not_found(client, world):
    made = api_key_create(name="Partner", scope=ApiScope.READ)
    path = f"/v2/user.json/{alice().public_id}/score"

    missing = get(client, path, None)
    wrong = get(client, path, "sway_nonsense")
    api_key_revoke(api_key=made.api_key)
    revoked = get(client, path, made.key)

    assert missing.status_code == wrong.status_code == revoked.status_code == 403
    assert missing.json() == {
        "error": 403,
        "description": "Give your API key as the key parameter.",
    }
    assert revoked.json() == {
        "error": 403, "description": "This API key is not valid, or was revoked.",
    }  # fmt: skip
    live = api_key_create(name="Partner", scope=ApiScope.READ).key
    assert get(client, "/v2/user.json/nobody", live).json() == {
        "error": 404, "description": "No user nobody.",
    }  # fmt: skip


def test_a_key_over_its_rate_gets_429_with_retry_after(client, key, monkeypatch):
    monkeypatch.setattr(ApiKeyThrottle, "THROTTLE_RATES", {"api-key": "2/min"})
    path = f"/v2/user.json/{alice().public_id}/score"

    answers = [get(client, path, key) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert 0 < int(answers[2]["Retry-After"]) <= 60
    assert answers[2].json()["error"] == 429


def test_the_score_in_one_statement_is_the_score_the_orm_reads(world):
    """klout_score's SQL against klout_users: snapshots a week and a month back, some by
    another model, someone with no score day, someone not scored and someone opted out."""
    people = list(scored_people())
    for n, person in enumerate(people):
        day = scored_day(person)
        for back in (7, 30):
            ScoreSnapshot.objects.create(
                person=person, day=day - timedelta(days=back), score=n * 1.37 + back,
                model_version="v0" if n % 3 == 0 else person.score_model,
                reach=0, amplification=0, network=0, percentile=0,
            )  # fmt: skip
    Person.objects.filter(pk=people[1].pk).update(score_day=None)
    Person.objects.filter(pk=people[2].pk).update(score=None)
    Person.objects.filter(pk=people[3].pk).update(opted_out=True)

    for user in klout_users(list(scored_people())):
        assert klout_score(klout_id=user.person.public_id) == user.score
    assert any(user.score.changes["monthChange"] for user in klout_users(people))
    for hidden in (people[2], people[3], Person(public_id="nobody")):
        assert klout_score(klout_id=hidden.public_id) is None


def test_a_keys_count_starts_again_with_the_next_window(client, key, monkeypatch):
    monkeypatch.setattr(ApiKeyThrottle, "THROTTLE_RATES", {"api-key": "1/min"})
    path = f"/v2/user.json/{alice().public_id}/score"
    now = 1_800_000_000.0  # a minute's start
    monkeypatch.setattr(time, "time", lambda: now)

    first, refused = get(client, path, key), get(client, path, key)
    now += 59
    still_refused = get(client, path, key)
    now += 1
    next_minute = get(client, path, key)

    assert [first.status_code, refused.status_code] == [200, 429]
    assert refused["Retry-After"] == "60"
    assert (still_refused.status_code, still_refused["Retry-After"]) == (429, "1")
    assert next_minute.status_code == 200


def test_create_api_key_prints_the_key_alone_on_its_last_line(capsys, db):
    call_command("create_api_key", name="Ops", scope="read")

    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("sway_")
    assert api_key_of(key).name == "Ops"
