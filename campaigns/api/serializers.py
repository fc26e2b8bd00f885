"""The campaigns part of the API (v1): a brand's campaigns and claims, a person's perks."""

from typing import Any

from rest_framework import serializers

from campaigns.models import Campaign, CampaignStatus, Claim, ClaimStatus, PerkType
from campaigns.places import MAX_CITIES, MAX_COUNTRIES, cities_clean, countries_clean
from campaigns.services.setup import CampaignDraft, slot_problem, tier_problem
from scoring.selectors.topics import public_topics


class TierSerializer(serializers.Serializer):
    min_score = serializers.IntegerField(min_value=1, max_value=100)
    offer = serializers.CharField(max_length=200)


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=1_000_000)


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    perk_type = serializers.ChoiceField(choices=PerkType.choices)
    status = serializers.ChoiceField(choices=CampaignStatus.choices)
    review_note = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField()
    taken = serializers.IntegerField()
    min_score = serializers.IntegerField()
    max_score = serializers.IntegerField(allow_null=True)
    topics = serializers.ListField(child=serializers.CharField(), help_text="Topic slugs.")
    countries = serializers.ListField(child=serializers.CharField())
    cities = serializers.ListField(child=serializers.CharField())
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    tiers = TierSerializer(many=True)
    slots = SlotSerializer(many=True)
    questions = serializers.ListField(child=serializers.CharField())
    needs_address = serializers.BooleanField()
    disclosure = serializers.CharField(allow_blank=True)
    hashtag = serializers.CharField(allow_blank=True)

    def to_representation(self, campaign: Campaign) -> dict[str, Any]:
        return {
            **{
                name: getattr(campaign, name)
                for name in (
                    "id",
                    "title",
                    "description",
                    "perk_type",
                    "status",
                    "review_note",
                    "quantity",
                    "taken",
                    "min_score",
                    "max_score",
                    "countries",
                    "cities",
                    "questions",
                    "needs_address",
                    "disclosure",
                    "hashtag",
                )
            },
            "starts_at": serializers.DateTimeField().to_representation(campaign.starts_at),
            "ends_at": serializers.DateTimeField().to_representation(campaign.ends_at),
            "topics": [topic.slug for topic in campaign.topics.all()],
            "tiers": [{"min_score": t.min_score, "offer": t.offer} for t in campaign.tiers.all()],
            "slots": [
                {
                    "starts_at": serializers.DateTimeField().to_representation(s.starts_at),
                    "capacity": s.capacity,
                }
                for s in campaign.slots.all()
            ],
        }


class CampaignInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    perk_type = serializers.ChoiceField(choices=PerkType.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    min_score = serializers.IntegerField(min_value=1, max_value=100)
    max_score = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True
    )
    topics = serializers.ListField(
        child=serializers.SlugField(), required=False, max_length=100, help_text="Topic slugs."
    )
    countries = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        max_length=MAX_COUNTRIES,
        help_text="ISO 3166-1 two-letter codes, as FR.",
    )
    cities = serializers.ListField(
        child=serializers.CharField(), required=False, max_length=MAX_CITIES
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    tiers = TierSerializer(many=True, required=False)
    slots = SlotSerializer(many=True, required=False)
    questions = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=20
    )
    needs_address = serializers.BooleanField(required=False, default=False)
    disclosure = serializers.CharField(required=False, allow_blank=True, default="")
    hashtag = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_topics(self, slugs: list[str]) -> list[int]:
        public = public_topics().filter(slug__in=slugs)
        found = dict(public.values_list("slug", "pk"))
        unknown = sorted(set(slugs) - set(found))
        if unknown:
            raise serializers.ValidationError(f"Not a topic to target: {', '.join(unknown)}.")
        return [found[slug] for slug in slugs]

    def validate_countries(self, codes: list[str]) -> tuple[str, ...]:
        return countries_clean(codes)

    def validate_cities(self, cities: list[str]) -> tuple[str, ...]:
        return cities_clean(cities)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        draft = self.draft(data)
        if draft.max_score is not None and draft.max_score < draft.min_score:
            raise serializers.ValidationError({"max_score": "It is below min_score."})
        if draft.ends_at <= draft.starts_at:
            raise serializers.ValidationError({"ends_at": "It must be after starts_at."})
        for field, problem in (("tiers", tier_problem(draft)), ("slots", slot_problem(draft))):
            if problem:
                raise serializers.ValidationError({field: problem})
        return data

    @staticmethod
    def draft(data: dict[str, Any]) -> CampaignDraft:
        return CampaignDraft(
            title=data["title"],
            description=data["description"],
            perk_type=data["perk_type"],
            quantity=data["quantity"],
            min_score=data["min_score"],
            max_score=data.get("max_score"),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            topic_ids=tuple(data.get("topics", ())),
            countries=tuple(data.get("countries", ())),
            cities=tuple(data.get("cities", ())),
            tiers=tuple((t["min_score"], t["offer"]) for t in data.get("tiers", ())),
            slots=tuple((s["starts_at"], s["capacity"]) for s in data.get("slots", ())),
            questions=tuple(data.get("questions", ())),
            needs_address=data["needs_address"],
            disclosure=data["disclosure"].strip(),
            hashtag=data["hashtag"].strip(),
        )


class ClaimSerializer(serializers.Serializer):
    """A claim as its brand sees it."""

    id = serializers.IntegerField()
    campaign = serializers.IntegerField(source="campaign_id")
    person = serializers.CharField(source="person.public_id", help_text="Their public id.")
    name = serializers.CharField(source="person.__str__")
    score = serializers.FloatField(source="person.score", allow_null=True)
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    offer = serializers.CharField(source="tier.offer", allow_null=True, default=None)
    code = serializers.SerializerMethodField(help_text="Shown once the claim is confirmed.")
    date = serializers.DateTimeField(source="slot.starts_at", allow_null=True, default=None)
    answers = serializers.DictField(child=serializers.CharField())
    address = serializers.SerializerMethodField(
        help_text="Where to ship; empty for a member who only views the brand."
    )
    tracking = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    fulfilled_at = serializers.DateTimeField(allow_null=True)

    def get_address(self, claim: Claim) -> str:
        return claim.address if self.context.get("show_addresses", True) else ""

    def get_code(self, claim: Claim) -> str | None:
        code = getattr(claim, "code", None)
        shown = claim.status in (ClaimStatus.CONFIRMED, ClaimStatus.FULFILLED)
        return code.code if code is not None and shown else None


class FulfilInputSerializer(serializers.Serializer):
    tracking = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ClaimCreateInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1)
    answers = serializers.DictField(
        child=serializers.CharField(max_length=1000), required=False, default=dict
    )
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    accepted_disclosure = serializers.BooleanField(required=False, default=False)
    slot = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class OfferSerializer(serializers.Serializer):
    """A perk the person qualifies for now, with their tier's offer."""

    campaign = serializers.IntegerField(source="campaign.pk")
    title = serializers.CharField(source="campaign.title")
    brand = serializers.CharField(source="campaign.brand.name")
    perk_type = serializers.CharField(source="campaign.perk_type")
    offer = serializers.CharField(source="tier.offer", allow_null=True, default=None)
    left = serializers.IntegerField(source="campaign.left")
    ends_at = serializers.DateTimeField(source="campaign.ends_at")
