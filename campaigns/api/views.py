"""The campaigns part of the API (v1). A brand's campaigns and claims answer to its members
(signed in) and to its brand-write key; to anyone else, a brand does not exist (404), and a
read key may not reach brands at all (403). A person's perks and claims answer to them."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.api import serializers as shapes
from campaigns.errors import NotActingForBrand, RoleTooLow
from campaigns.models import Brand, Campaign, Role
from campaigns.selectors.brands import campaign_of, campaigns_of, claims_of
from campaigns.selectors.perks import perks_of
from campaigns.selectors.roles import Actor, brand_require, sees_addresses
from campaigns.services import claims, lifecycle
from campaigns.services.setup import campaign_save
from marketplace.api_errors import errors
from marketplace.models import ApiKey, ApiScope, User

BRANDS = ["Brands"]
PEOPLE = ["Your perks"]
ERRORS = errors(401, 403, 404, 429)


def _acting(request: Request, slug: str, write: bool = False) -> tuple[Brand, Actor, Role]:
    """The brand, who acts for it (a member, or its brand-write key) and in which role; a
    write asks for a manager."""
    auth = request.auth
    if isinstance(auth, ApiKey) and (auth.scope != ApiScope.BRAND_WRITE or auth.brand_id is None):
        raise exceptions.PermissionDenied("A read key cannot reach brands.")
    actor: Actor = auth if isinstance(auth, ApiKey) else request.user  # type: ignore[assignment]
    at_least = Role.MANAGER if write else Role.VIEWER
    try:
        brand, role = brand_require(actor=actor, slug=slug, at_least=at_least)
    except NotActingForBrand as refused:
        raise exceptions.NotFound(f"No brand {slug}.") from refused
    except RoleTooLow as refused:
        raise exceptions.PermissionDenied(
            "Your role in this brand does not allow this."
        ) from refused
    return brand, actor, role


def _brand(request: Request, slug: str, write: bool = False) -> tuple[Brand, Actor]:
    brand, actor, _ = _acting(request, slug, write)
    return brand, actor


def _campaign(brand: Brand, pk: int) -> Campaign:
    campaign = campaign_of(brand=brand, pk=pk)
    if campaign is None:
        raise exceptions.NotFound(f"No campaign {pk}.")
    return campaign


class BrandCampaigns(APIView):
    @extend_schema(
        operation_id="brand_campaigns",
        responses={200: shapes.CampaignSerializer(many=True), **ERRORS},
        tags=BRANDS,
    )
    def get(self, request: Request, slug: str) -> Response:
        brand, _ = _brand(request, slug)
        campaigns = campaigns_of(brand=brand).prefetch_related("topics", "tiers", "slots")
        return Response(shapes.CampaignSerializer(campaigns, many=True).data)

    @extend_schema(
        operation_id="brand_campaign_create",
        request=shapes.CampaignInputSerializer,
        responses={201: shapes.CampaignSerializer, **ERRORS},
        tags=BRANDS,
        description="A new draft campaign.",
    )
    def post(self, request: Request, slug: str) -> Response:
        brand, actor = _brand(request, slug, write=True)
        data = shapes.CampaignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = campaign_save(actor=actor, brand=brand, draft=data.draft(data.validated_data))
        return Response(shapes.CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class BrandCampaign(APIView):
    @extend_schema(
        operation_id="brand_campaign",
        responses={200: shapes.CampaignSerializer, **ERRORS},
        tags=BRANDS,
    )
    def get(self, request: Request, slug: str, pk: int) -> Response:
        brand, _ = _brand(request, slug)
        return Response(shapes.CampaignSerializer(_campaign(brand, pk)).data)

    @extend_schema(
        operation_id="brand_campaign_update",
        request=shapes.CampaignInputSerializer,
        responses={200: shapes.CampaignSerializer, **ERRORS},
        tags=BRANDS,
        description="New values for a draft or rejected campaign, which becomes a draft.",
    )
    def put(self, request: Request, slug: str, pk: int) -> Response:
        brand, actor = _brand(request, slug, write=True)
        campaign = _campaign(brand, pk)
        data = shapes.CampaignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = data.draft(data.validated_data)
        campaign = campaign_save(actor=actor, brand=brand, draft=draft, campaign=campaign)
        return Response(shapes.CampaignSerializer(campaign).data)


MOVES = {
    "submit": lambda actor, campaign: lifecycle.campaign_submit(actor=actor, campaign=campaign),
    "pause": lambda actor, campaign: lifecycle.campaign_pause(actor=actor, campaign=campaign),
    "resume": lambda actor, campaign: lifecycle.campaign_resume(
        actor=actor, campaign=campaign, now=timezone.now()
    ),
}


class BrandCampaignMove(APIView):
    @extend_schema(
        operation_id="brand_campaign_move",
        request=None,
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=list(MOVES))],
        responses={200: shapes.CampaignSerializer, **ERRORS},
        tags=BRANDS,
        description="Submit a draft for review, pause a live campaign, or resume it.",
    )
    def post(self, request: Request, slug: str, pk: int, move: str) -> Response:
        brand, actor = _brand(request, slug, write=True)
        campaign = _campaign(brand, pk)
        MOVES[move](actor, campaign)
        return Response(shapes.CampaignSerializer(campaign).data)


class BrandClaims(ListAPIView):
    serializer_class = shapes.ClaimSerializer

    @extend_schema(
        operation_id="brand_campaign_claims",
        parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
        responses={200: shapes.ClaimSerializer(many=True), **ERRORS},
        tags=BRANDS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        brand, _ = _brand(self.request, self.kwargs["slug"])
        return claims_of(campaign=_campaign(brand, self.kwargs["pk"]))

    def get_serializer_context(self) -> dict[str, Any]:
        """Addresses by role: a brand-write key acts as a manager, who sees them."""
        _, _, role = _acting(self.request, self.kwargs["slug"])
        return {**super().get_serializer_context(), "show_addresses": sees_addresses(role)}


class BrandClaimFulfil(APIView):
    @extend_schema(
        operation_id="brand_claim_fulfil",
        request=shapes.FulfilInputSerializer,
        responses={200: shapes.ClaimSerializer, **ERRORS},
        tags=BRANDS,
    )
    def post(self, request: Request, slug: str, pk: int, claim: int) -> Response:
        brand, actor = _brand(request, slug, write=True)
        held = claims_of(campaign=_campaign(brand, pk)).filter(pk=claim).first()
        if held is None:
            raise exceptions.NotFound(f"No claim {claim}.")
        data = shapes.FulfilInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claims.claim_fulfil(actor=actor, claim=held, tracking=data.validated_data["tracking"])
        held.refresh_from_db()
        return Response(shapes.ClaimSerializer(held).data)


class PersonOnly(APIView):
    """A person's own perks: a signed-in session, not a partner's key."""

    authentication_classes = (SessionAuthentication,)


class MyPerks(PersonOnly):
    @extend_schema(
        operation_id="my_perks",
        responses={200: shapes.OfferSerializer(many=True), **ERRORS},
        tags=PEOPLE,
        description="The perks you qualify for now and have not claimed, soonest to end first.",
    )
    def get(self, request: Request) -> Response:
        found = perks_of(user=request.user)  # type: ignore[arg-type]
        return Response(shapes.OfferSerializer(found.offers, many=True).data)


class MyClaims(PersonOnly):
    @extend_schema(
        operation_id="my_claims",
        responses={200: shapes.ClaimSerializer(many=True), **ERRORS},
        tags=PEOPLE,
    )
    def get(self, request: Request) -> Response:
        found = perks_of(user=request.user)  # type: ignore[arg-type]
        return Response(shapes.ClaimSerializer(found.claims, many=True).data)

    @extend_schema(
        operation_id="my_claim_create",
        request=shapes.ClaimCreateInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="Names this request: sent again, it makes no second claim.",
            )
        ],
        responses={
            201: shapes.ClaimSerializer,
            200: shapes.ClaimSerializer,
            **ERRORS,
            **errors(409),
        },
        tags=PEOPLE,
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 100:
            raise exceptions.ValidationError({"Idempotency-Key": "Send one, of 1 to 100 chars."})
        data = shapes.ClaimCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asked = data.validated_data
        user: User = request.user  # type: ignore[assignment]
        made = claims.claim_make(
            user=user,
            campaign_id=asked["campaign"],
            request=claims.ClaimRequest(
                idempotency_key=key,
                answers=asked["answers"],
                address=asked["address"],
                accepted_disclosure=asked["accepted_disclosure"],
                slot_id=asked["slot"],
            ),
        )
        answer = status.HTTP_201_CREATED if made.created else status.HTTP_200_OK
        return Response(shapes.ClaimSerializer(made.claim).data, status=answer)
