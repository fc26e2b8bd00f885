"""The JSON shapes of Klout's API v2, exactly as Klout had them (camelCase included)."""

from rest_framework import serializers


class KloutIdentitySerializer(serializers.Serializer):
    id = serializers.CharField()
    network = serializers.CharField(help_text='"ks" for a Sway (Klout) id, "tw" for Twitter.')


class KloutScoreDeltasSerializer(serializers.Serializer):
    dayChange = serializers.FloatField()
    weekChange = serializers.FloatField()
    monthChange = serializers.FloatField()


class KloutScoreValueSerializer(serializers.Serializer):
    score = serializers.FloatField()
    bucket = serializers.CharField()


class KloutUserSerializer(serializers.Serializer):
    kloutId = serializers.CharField()
    nick = serializers.CharField()
    score = KloutScoreValueSerializer()
    scoreDeltas = KloutScoreDeltasSerializer()


class KloutScoreSerializer(serializers.Serializer):
    score = serializers.FloatField()
    scoreDelta = KloutScoreDeltasSerializer()
    bucket = serializers.CharField()


class KloutTopicSerializer(serializers.Serializer):
    id = serializers.CharField()
    displayName = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()
    imageUrl = serializers.CharField(allow_blank=True)
    topicType = serializers.CharField()


class KloutEntitySerializer(serializers.Serializer):
    id = serializers.CharField()
    payload = KloutUserSerializer()


class KloutRelatedSerializer(serializers.Serializer):
    entity = KloutEntitySerializer()


class KloutInfluenceSerializer(serializers.Serializer):
    myInfluencers = KloutRelatedSerializer(many=True)
    myInfluencees = KloutRelatedSerializer(many=True)
    myInfluencersCount = serializers.IntegerField()
    myInfluenceesCount = serializers.IntegerField()
