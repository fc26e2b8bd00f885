"""Sway's own API (v1): people, their scores and what makes them, their topics and the
people they influence and are influenced by."""

from rest_framework import serializers


class PersonSummarySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The person's public id.")
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text="1–100; null before a first run.")
    bucket = serializers.CharField(allow_null=True, help_text='"0-9" … "90-100".')


class ScorePartsSerializer(serializers.Serializer):
    reach = serializers.FloatField(help_text="About how many people acted on their posts.")
    amplification = serializers.FloatField(help_text="People moved by a post, on average.")
    network = serializers.FloatField(help_text="Those people's influence, from 0 to 1.")
    persistence = serializers.FloatField(
        allow_null=True,
        help_text="On how many different days people acted on their posts, never counting more "
        "days than people; null from a model that does not count it.",
    )


class HandleSerializer(serializers.Serializer):
    network = serializers.CharField()
    username = serializers.CharField()
    verified = serializers.BooleanField()


class PersonSerializer(PersonSummarySerializer):
    percentile = serializers.FloatField(allow_null=True)
    day = serializers.DateField(allow_null=True, help_text="The day the score is of.")
    parts = ScorePartsSerializer(allow_null=True)
    networks = serializers.DictField(child=serializers.FloatField())
    handles = HandleSerializer(many=True)


class HistoryPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    score = serializers.FloatField()


class PersonTopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField(help_text="1–100: their score on their posts about it.")
    endorsements = serializers.IntegerField(help_text="+K received on it.")


class RelatedPersonSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    weight = serializers.FloatField(help_text="How much of the engagement they account for.")


class InfluenceSerializer(serializers.Serializer):
    influencers = RelatedPersonSerializer(many=True)
    influencees = RelatedPersonSerializer(many=True)


class BaselineFitSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='"distinct_engagers", "engagement_count", "pagerank".')
    spearman = serializers.FloatField(help_text="Spearman's rho with what happened.")
    top_precision = serializers.FloatField(help_text="Share of its top 1 % in the true top 1 %.")


class ModelBacktestSerializer(serializers.Serializer):
    measured_on = serializers.DateField()
    model = serializers.CharField(help_text="The model version measured: the live one then.")
    cut_day = serializers.DateField(help_text="Everyone was scored as of this day…")
    horizon_days = serializers.IntegerField(
        help_text="…and ranked against how many people engaged with them over these days after."
    )
    people_ranked = serializers.IntegerField(
        help_text="Everyone anyone engaged with in the 90 days before the cut."
    )
    spearman = serializers.FloatField(help_text="The score's Spearman's rho with what happened.")
    top_precision = serializers.FloatField(
        help_text="Share of the score's top 1 % that was in the true top 1 %."
    )
    baselines = BaselineFitSerializer(many=True, help_text="The naive counts the score must beat.")
