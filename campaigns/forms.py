"""The brand's forms: a brand, a campaign (whose lists are written one a line), a code file,
a shipment."""

import re
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.urls import reverse

from campaigns.models import Brand, Campaign, PerkType, Role
from campaigns.places import COUNTRY_CHOICES, MAX_CITIES, cities_clean, countries_clean
from campaigns.services.setup import CampaignDraft, slot_problem, tier_problem
from campaigns.widgets import ChipPicker, CityPicker, CountryPicker, TopicPicker
from marketplace.pictures import BANNER_BOX, LOGO_BOX, PictureField
from scoring.selectors.topics import public_topics

TIER_LINE = re.compile(r"\s*(\d{1,3})\s*[:\-–]\s*(.+?)\s*")
SLOT_LINE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})\s*[,;]?\s*(\d{1,6})\s*")
HASHTAG = re.compile(r"#?(\w+)")
HASHTAG_LENGTH = 100
MOST_TOPICS = 100
BELOW_LOWEST = "It is below the lowest score."
SCORE_ERRORS = {
    "min_value": "A score starts at 1.",
    "max_value": "A score goes up to 100.",
    "invalid": "Write a score, a whole number from 1 to 100.",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class BrandForm(forms.Form):
    name = forms.CharField(max_length=200)
    website = forms.URLField(max_length=500, required=False, assume_scheme="https")
    handle = forms.CharField(
        max_length=100, required=False, help_text="Your own handle, e.g. @voltmotors."
    )
    logo = PictureField(
        box=LOGO_BOX, help_text="Square is best: JPEG, PNG, GIF or WebP, up to 5 MB."
    )


class NewBrandForm(BrandForm):
    """A brand's details, and the address its pages will keep."""

    slug = forms.SlugField(
        max_length=100,
        required=False,
        label="Address",
        help_text="Its pages will be at /brands/your-address/: letters, digits and hyphens. "
        "Made from the name when left empty.",
    )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].lower()
        if slug and Brand.objects.filter(slug=slug).exists():
            raise forms.ValidationError("Another brand has this address; choose another.")
        return slug


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MANAGER)


class CountriesField(forms.MultipleChoiceField):
    """Countries chosen from the list, as their codes; which codes are countries is
    countries_clean's to say, for the API as for the form."""

    widget = CountryPicker

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=COUNTRY_CHOICES, **kwargs)

    def clean(self, value: Any) -> tuple[str, ...]:
        return countries_clean(self.to_python(value))


class CitiesField(forms.Field):
    """Cities as people write them, a chip each (or one a line)."""

    widget = CityPicker
    hidden_widget = forms.MultipleHiddenInput

    def clean(self, value: Any) -> tuple[str, ...]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if len(values) > MAX_CITIES:
            raise forms.ValidationError(f"At most {MAX_CITIES} cities.")
        return cities_clean(str(city) for city in values)


class CampaignForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    image = PictureField(
        box=BANNER_BOX,
        help_text="Shown above the perk, 1200 × 630 px at best (other shapes are cropped to "
        "it): JPEG, PNG, GIF or WebP, up to 5 MB.",
    )
    perk_type = forms.ChoiceField(choices=PerkType.choices, label="Perk")
    quantity = forms.IntegerField(
        min_value=1,
        help_text="How many units are on offer.",
        error_messages={"min_value": "Offer at least one.", "invalid": "Write a whole number."},
    )
    min_score = forms.IntegerField(
        min_value=1, max_value=100, label="Lowest score", error_messages=SCORE_ERRORS
    )
    max_score = forms.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        label="Highest score",
        help_text="Optional.",
        error_messages=SCORE_ERRORS,
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=public_topics(),
        required=False,
        widget=TopicPicker,
        help_text="People influential about any of them; none: any topic. Search by name, or "
        "browse the areas.",
    )
    countries = CountriesField(
        required=False, help_text="People in any of the countries or cities; none: anywhere."
    )
    cities = CitiesField(
        required=False,
        help_text="Choose a place people give, or type one and press Enter.",
    )
    starts_at = forms.DateTimeField(
        label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    tiers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional offers by score, one a line from the lowest. The first tier starts "
        "at the lowest score: e.g. “40: 20 % off”, “81: 100 % off” for a lowest score of 40.",
    )
    questions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Asked when claiming, one a line.",
    )
    slots = forms.CharField(
        required=False,
        label="Dates",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One date a line with its places, “2026-12-05 10:00, 4” (UTC). Claimants "
        "pick one.",
    )
    needs_address = forms.BooleanField(required=False, label="Ask for a shipping address")
    disclosure = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A reminder claimants accept, e.g. to say the perk was a gift when posting.",
    )
    hashtag = forms.CharField(
        max_length=HASHTAG_LENGTH,
        required=False,
        help_text="What claimants post about it, e.g. #VoltDays.",
    )

    @classmethod
    def initial_of(cls, campaign: Campaign) -> dict[str, Any]:
        return {
            **{
                name: getattr(campaign, name)
                for name in (
                    "title",
                    "description",
                    "image",
                    "perk_type",
                    "quantity",
                    "min_score",
                    "max_score",
                    "starts_at",
                    "ends_at",
                    "needs_address",
                    "disclosure",
                    "hashtag",
                )
            },
            "topics": list(campaign.topics.all()),
            "countries": list(campaign.countries),
            "cities": list(campaign.cities),
            "questions": "\n".join(campaign.questions),
            "tiers": "\n".join(f"{t.min_score}: {t.offer}" for t in campaign.tiers.all()),
            "slots": "\n".join(
                f"{slot.starts_at:%Y-%m-%d %H:%M}, {slot.capacity}" for slot in campaign.slots.all()
            ),
        }

    def __init__(self, *args: Any, brand: Brand | None = None, **kwargs: Any) -> None:
        """`brand`: whose pickers' endpoints suggest topics, countries and cities as the brand
        types."""
        super().__init__(*args, **kwargs)
        if brand is not None:
            for name, url in (
                ("topics", "topic-options"),
                ("countries", "country-options"),
                ("cities", "city-options"),
            ):
                widget = self.fields[name].widget
                if isinstance(widget, ChipPicker):
                    widget.search_url = reverse(f"campaigns:{url}", args=[brand.slug])

    def clean_topics(self) -> Any:
        topics = self.cleaned_data["topics"]
        if len(topics) > MOST_TOPICS:
            raise forms.ValidationError(f"At most {MOST_TOPICS} topics.")
        return topics

    def clean_hashtag(self) -> str:
        """One word of letters, digits and _, with its # (added when left out)."""
        typed = self.cleaned_data["hashtag"].strip()
        if not typed:
            return ""
        found = HASHTAG.fullmatch(typed)
        if found is None:
            raise forms.ValidationError(
                "A hashtag is one word of letters, digits and _ (no spaces nor punctuation), "
                "e.g. #VoltDays."
            )
        tag = f"#{found[1]}"
        if len(tag) > HASHTAG_LENGTH:
            raise forms.ValidationError(f"A hashtag is at most {HASHTAG_LENGTH} characters.")
        return tag

    def clean_tiers(self) -> tuple[tuple[int, str], ...]:
        tiers = []
        for number, line in enumerate(_lines(self.cleaned_data["tiers"]), start=1):
            found = TIER_LINE.fullmatch(line)
            if found is None or not 1 <= int(found[1]) <= 100:
                raise forms.ValidationError(
                    f"Line {number}: write a score from 1 to 100, a colon, then the offer."
                )
            tiers.append((int(found[1]), found[2][:200]))
        return tuple(tiers)

    def clean_slots(self) -> tuple[tuple[datetime, int], ...]:
        slots = []
        for number, line in enumerate(_lines(self.cleaned_data["slots"]), start=1):
            found = SLOT_LINE.fullmatch(line)
            try:
                starts_at = datetime.fromisoformat(f"{found[1]} {found[2]}") if found else None
            except ValueError:
                starts_at = None
            if found is None or starts_at is None or int(found[3]) < 1:
                raise forms.ValidationError(
                    f"Line {number}: write a date and time, a comma, then how many places."
                )
            slots.append((starts_at.replace(tzinfo=UTC), int(found[3])))
        return tuple(slots)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        draft = self.draft()
        if draft.max_score is not None and draft.max_score < draft.min_score:
            self.add_error("max_score", BELOW_LOWEST)
        if draft.ends_at <= draft.starts_at:
            self.add_error("ends_at", "The campaign ends after it starts.")
        for field, problem in (("tiers", tier_problem(draft)), ("slots", slot_problem(draft))):
            if problem:
                self.add_error(field, problem)
        return data

    def draft(self) -> CampaignDraft:
        data = self.cleaned_data
        return CampaignDraft(
            title=data["title"],
            description=data["description"],
            image=data.get("image"),
            perk_type=data["perk_type"],
            quantity=data["quantity"],
            min_score=data["min_score"],
            max_score=data.get("max_score"),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            topic_ids=tuple(topic.pk for topic in data.get("topics", ())),
            countries=data.get("countries", ()),
            cities=data.get("cities", ()),
            tiers=data.get("tiers", ()),
            questions=tuple(_lines(data.get("questions", ""))),
            slots=data.get("slots", ()),
            needs_address=data.get("needs_address", False),
            disclosure=data.get("disclosure", "").strip(),
            hashtag=data.get("hashtag", "").strip(),
        )


class TargetForm(CampaignForm):
    """Only the targeting, as the live estimate reads it while the brand types."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - {"min_score", "max_score", "topics", "countries", "cities"}:
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        low, high = data.get("min_score"), data.get("max_score")
        if low is not None and high is not None and high < low:
            self.add_error("max_score", BELOW_LOWEST)
        return data


class CodesForm(forms.Form):
    file = forms.FileField(label="Code file (CSV)", help_text="One code a line, first column.")


class ShipmentForm(forms.Form):
    tracking = forms.CharField(max_length=200, required=False, label="Tracking number")


class TrackingFileForm(forms.Form):
    file = forms.FileField(
        label="Tracking numbers (CSV)",
        help_text="A claim number and its tracking number a line; or the claims CSV you "
        "downloaded, with its tracking column filled in.",
    )
