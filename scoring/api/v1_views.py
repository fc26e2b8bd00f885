"""People in Sway's own API (v1): look-up by handle, address or name, and each person's score,
history, topics and influence; and how well the score predicts (the weekly backtests). Any
key, or a signed-in session, may read."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api_errors import errors
from scoring.api import v1_serializers as shapes
from scoring.handle_query import UnknownAddress, parse
from scoring.models import SCORE_PARTS, Person
from scoring.score_parts import PERSISTENCE
from scoring.selectors.backtests import HISTORY, measurements
from scoring.selectors.klout import bucket
from scoring.selectors.people import people_search
from scoring.selectors.profiles import Profile, Related, person_profile

TAGS = ["People"]
ERRORS = errors(401, 403, 404, 429)


def _summary(person: Person) -> dict[str, Any]:
    score = person.score
    return {
        "id": person.public_id,
        "name": str(person),
        "score": score,
        "bucket": bucket(score) if score is not None else None,
    }


def _profile(public_id: str) -> Profile:
    found = person_profile(public_id=public_id)
    if found is None:
        raise exceptions.NotFound(f"No person {public_id}.")
    return found


class PeopleSearch(ListAPIView):
    serializer_class = shapes.PersonSummarySerializer

    @extend_schema(
        operation_id="people_search",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description="A handle (twitter:@alice, @alice@mastodon.social), a profile "
                "address or a name.",
            )
        ],
        responses={200: shapes.PersonSummarySerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        try:
            query = parse(self.request.query_params.get("q", ""))
        except UnknownAddress as error:
            raise exceptions.ValidationError({"q": [str(error)]}) from error
        if query is None:
            raise exceptions.ValidationError({"q": ["Say whom to look for."]})
        return people_search(query=query).only("public_id", "display_name", "score")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_summary(person) for person in page or []])


class PersonDetail(APIView):
    @extend_schema(
        operation_id="person", responses={200: shapes.PersonSerializer, **ERRORS}, tags=TAGS
    )
    def get(self, request: Request, public_id: str) -> Response:
        profile = _profile(public_id)
        person, details, shown = profile.person, profile.details, profile.parts
        # None before a first score, or for a score stored without its parts; persistence is
        # null from a model that does not count it.
        parts = (
            {PERSISTENCE: None} | {name: part.figure for name, part in shown.items()}
            if person.score is not None and shown.keys() >= set(SCORE_PARTS)
            else None
        )
        return Response(
            _summary(person)
            | {
                "percentile": person.percentile,
                "day": person.score_day,
                "parts": parts,
                "networks": details.get("networks", {}),
                "handles": [
                    {
                        "network": h.network,
                        "username": h.username,
                        "verified": h.verification == "verified",
                    }
                    for h in profile.handles
                ],
            }
        )


class PersonHistory(APIView):
    @extend_schema(
        operation_id="person_history",
        responses={200: shapes.HistoryPointSerializer(many=True), **ERRORS},
        tags=TAGS,
        description="The daily score of the last 90 days, oldest first.",
    )
    def get(self, request: Request, public_id: str) -> Response:
        history = _profile(public_id).history
        return Response([{"day": day, "score": score} for day, score in history])


class PersonTopics(APIView):
    @extend_schema(
        operation_id="person_topics",
        responses={200: shapes.PersonTopicSerializer(many=True), **ERRORS},
        tags=TAGS,
        description="The topics the person's profile shows, highest topic score first.",
    )
    def get(self, request: Request, public_id: str) -> Response:
        topics = _profile(public_id).topics
        return Response(
            [
                {
                    "slug": t.topic.slug,
                    "name": t.topic.name,
                    "score": t.score,
                    "endorsements": t.endorsements,
                }
                for t in topics
            ]
        )


class PersonInfluence(APIView):
    @extend_schema(
        operation_id="person_influence",
        responses={200: shapes.InfluenceSerializer, **ERRORS},
        tags=TAGS,
    )
    def get(self, request: Request, public_id: str) -> Response:
        profile = _profile(public_id)

        def listed(people: list[Related]) -> list[dict[str, Any]]:
            return [
                {"id": r.public_id, "name": r.name, "score": r.score, "weight": r.weight}
                for r in people
            ]

        return Response(
            {"influencers": listed(profile.influencers), "influencees": listed(profile.influencees)}
        )


class ScoreValidity(APIView):
    @extend_schema(
        operation_id="score_validity",
        responses={200: shapes.ModelBacktestSerializer(many=True), **errors(401, 403, 429)},
        tags=["Score"],
        description="How well the live score predicted who would move people, measured every "
        "week against the naive counts it must beat: the latest "
        f"{HISTORY} measurements, newest first.",
    )
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "measured_on": m.measured_on,
                    "model": m.model.name,
                    "cut_day": m.cut_day,
                    "horizon_days": m.horizon_days,
                    "people_ranked": m.candidates,
                    "spearman": m.model.spearman,
                    "top_precision": m.model.top_precision,
                    "baselines": [
                        {"name": b.name, "spearman": b.spearman, "top_precision": b.top_precision}
                        for b in m.baselines
                    ],
                }
                for m in measurements()
            ]
        )
