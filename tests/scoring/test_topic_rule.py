""" "A topic people may see" is one rule: the query, the SQL written by hand and a topic in
hand agree."""

import pytest
from django.db import connection

from scoring.models import PUBLIC_TOPIC_SQL, Topic, TopicStatus, topic_is_public

pytestmark = pytest.mark.django_db


def test_the_query_the_sql_and_a_topic_in_hand_agree():
    made = [
        Topic.objects.create(slug=f"rule-{status}-{sensitive}".lower(), name=status,
                             status=status, is_sensitive=sensitive)
        for status in TopicStatus.values
        for sensitive in (False, True)
    ]  # fmt: skip
    ours = Topic.objects.filter(pk__in=[topic.pk for topic in made])

    by_query = set(ours.filter(topic_is_public()).values_list("slug", flat=True))
    where = PUBLIC_TOPIC_SQL.format(t="t")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.slug FROM scoring_topic t WHERE t.slug LIKE 'rule-%' AND {where}"  # noqa: S608 (constants)
        )
        by_sql = {slug for (slug,) in cursor.fetchall()}
    in_hand = {topic.slug for topic in made if topic.is_public}

    assert by_query == by_sql == in_hand == {"rule-approved-false"}
