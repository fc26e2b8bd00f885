"""Klout's API v2, path for path, so that an old integration switches by changing only its
base URL. The key is the `key` query parameter; errors are {"error": 403|404, "description"}."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api_errors import errors
from marketplace.api_keys.authentication import QueryKeyAuthentication
from scoring.api import klout_serializers as shapes
from scoring.models import Network, Person
from scoring.selectors.klout import (
    NETWORKS,
    KloutUser,
    klout_id_of_handle,
    klout_influence,
    klout_score,
    klout_topics,
    klout_users,
    scored_people,
    twitter_id_of,
)

ERRORS = errors(403, 404, 429)


class KloutView(APIView):
    renderer_classes = (JSONRenderer,)  # Klout's paths end in .json: nothing to negotiate
    authentication_classes = (QueryKeyAuthentication,)
    permission_classes = (IsAuthenticated,)


def _person(klout_id: str) -> Person:
    person = scored_people().filter(public_id=klout_id).first()
    if person is None:
        raise exceptions.NotFound(f"No user {klout_id}.")
    return person


def _user(klout_id: str) -> KloutUser:
    return klout_users([_person(klout_id)])[0]


def _user_json(user: KloutUser) -> dict[str, Any]:
    return {
        "kloutId": user.person.public_id,
        "nick": user.nick,
        "score": {"score": user.score.score, "bucket": user.score.bucket},
        "scoreDeltas": user.score.changes,
    }


def _identity(klout_id: str | None, what: str) -> Response:
    if klout_id is None:
        raise exceptions.NotFound(f"No user with {what}.")
    return Response({"id": klout_id, "network": "ks"})


class IdentityByScreenName(KloutView):
    @extend_schema(
        operation_id="klout_identity_twitter",
        parameters=[OpenApiParameter("screenName", str, required=True)],
        responses={200: shapes.KloutIdentitySerializer, **ERRORS},
        tags=["Klout API v2"],
    )
    def get(self, request: Request) -> Response:
        name = request.query_params.get("screenName", "").strip()
        found = klout_id_of_handle(network=Network.TWITTER, username=name) if name else None
        return _identity(found, f"the screen name {name!r}")


class IdentityByNetworkId(KloutView):
    @extend_schema(
        operation_id="klout_identity_network",
        parameters=[
            OpenApiParameter("network", str, OpenApiParameter.PATH, enum=list(NETWORKS)),
            OpenApiParameter("external_id", str, OpenApiParameter.PATH, pattern="^[0-9]{1,30}$"),
        ],
        responses={200: shapes.KloutIdentitySerializer, **ERRORS},
        tags=["Klout API v2"],
        description="`tw` (Twitter), `gp` (Google+, now YouTube) or `ig` (Instagram) ids.",
    )
    def get(self, request: Request, network: str, external_id: str) -> Response:
        found = klout_id_of_handle(network=NETWORKS[network], external_id=external_id)
        return _identity(found, f"the {network} id {external_id}")


class TwitterIdOfUser(KloutView):
    @extend_schema(
        operation_id="klout_identity_to_twitter",
        responses={200: shapes.KloutIdentitySerializer, **ERRORS},
        tags=["Klout API v2"],
    )
    def get(self, request: Request, klout_id: str) -> Response:
        found = twitter_id_of(klout_id=klout_id)
        if found is None:
            raise exceptions.NotFound(f"No Twitter id for user {klout_id}.")
        return Response({"id": found, "network": "tw"})


class User(KloutView):
    @extend_schema(
        operation_id="klout_user",
        responses={200: shapes.KloutUserSerializer, **ERRORS},
        tags=["Klout API v2"],
    )
    def get(self, request: Request, klout_id: str) -> Response:
        return Response(_user_json(_user(klout_id)))


class Score(KloutView):
    @extend_schema(
        operation_id="klout_user_score",
        responses={200: shapes.KloutScoreSerializer, **ERRORS},
        tags=["Klout API v2"],
    )
    def get(self, request: Request, klout_id: str) -> Response:
        score = klout_score(klout_id=klout_id)
        if score is None:
            raise exceptions.NotFound(f"No user {klout_id}.")
        return Response({"score": score.score, "scoreDelta": score.changes, "bucket": score.bucket})


class Topics(KloutView):
    @extend_schema(
        operation_id="klout_user_topics",
        responses={200: shapes.KloutTopicSerializer(many=True), **ERRORS},
        tags=["Klout API v2"],
    )
    def get(self, request: Request, klout_id: str) -> Response:
        person = _person(klout_id)
        return Response(
            [
                {
                    "id": str(pk),
                    "displayName": name,
                    "name": name,
                    "slug": slug,
                    "imageUrl": "",
                    "topicType": "super" if is_area else "sub",
                }
                for pk, name, slug, is_area in klout_topics(person=person)
            ]
        )


class Influence(KloutView):
    @extend_schema(
        operation_id="klout_user_influence",
        responses={200: shapes.KloutInfluenceSerializer, **ERRORS},
        tags=["Klout API v2"],
    )
    def get(self, request: Request, klout_id: str) -> Response:
        found = klout_influence(person=_person(klout_id))

        def entities(users: list[KloutUser]) -> list[dict[str, Any]]:
            return [
                {"entity": {"id": user.person.public_id, "payload": _user_json(user)}}
                for user in users
            ]

        return Response(
            {
                "myInfluencers": entities(found.influencers),
                "myInfluencees": entities(found.influencees),
                "myInfluencersCount": len(found.influencers),
                "myInfluenceesCount": len(found.influencees),
            }
        )
