"""The campaign builder's forms. Each step shows a part of CampaignForm's fields and carries
the others hidden as they were saved, so that a step is checked with the rest of the campaign
exactly as saving it will be (a tier against the lowest score, dates against the units).
Then what an approved campaign may still change: more units, a later end."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils import timezone

from campaigns.forms import CampaignForm
from campaigns.models import BuilderStep, PerkType
from campaigns.services.live_changes import MOST_UNITS

REVIEW = "review"
FIRST_SCORE = 40  # a new campaign's lowest score, until the brand says
PERK_ONLY = {"slots": PerkType.EXPERIENCE, "needs_address": PerkType.PRODUCT}


@dataclass(frozen=True)
class Step:
    slug: str  # a BuilderStep, or REVIEW
    number: int
    title: str
    fields: tuple[str, ...]  # of CampaignForm


STEPS = (
    Step(
        BuilderStep.OFFER,
        1,
        BuilderStep.OFFER.label,
        ("title", "description", "image", "perk_type", "quantity", "tiers"),
    ),
    Step(
        BuilderStep.AUDIENCE,
        2,
        BuilderStep.AUDIENCE.label,
        ("min_score", "max_score", "topics", "countries", "cities"),
    ),
    Step(
        BuilderStep.CLAIMING,
        3,
        BuilderStep.CLAIMING.label,
        (
            "starts_at",
            "ends_at",
            "slots",
            "questions",
            "needs_address",
            "disclosure",
            "hashtag",
        ),
    ),
    Step(REVIEW, 4, "Review and submit", ()),
)
STEP_OF = {step.slug: step for step in STEPS}
FIELD_STEP = {name: step for step in STEPS for name in step.fields}


def zone_name() -> str:
    """The site's time zone, in which the builder's times are written and read."""
    return timezone.get_current_timezone_name()


def new_campaign_initial(now: datetime) -> dict[str, Any]:
    """What a new campaign starts from: the steps not saved yet say so until the brand
    saves them (Campaign.steps_saved)."""
    tomorrow = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)
    starts = tomorrow + timedelta(days=1)
    return {"min_score": FIRST_SCORE, "starts_at": starts, "ends_at": starts + timedelta(days=30)}


@dataclass(frozen=True)
class Problem:
    field: BoundField
    message: str
    step: Step  # where the field is shown


def tiers_help(lowest: int) -> str:
    """The tiers' rule with an example that keeps it, at the lowest score saved so far."""
    top = ", “81: 100 % off”" if lowest < 81 else ""
    return (
        f"Optional offers by score, one a line from the lowest. The first tier starts at the "
        f"lowest score, {lowest} (step 2 sets it): e.g. “{lowest}: 20 % off”{top}."
    )


class StepForm(CampaignForm):
    """The whole campaign, one step of which is shown. A field only another perk type has
    (PERK_ONLY) is left out: neither shown, nor carried, nor saved."""

    def __init__(self, *args: Any, step: Step, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        for name in ("starts_at", "ends_at"):
            self.fields[name].label = f"{self.fields[name].label} ({zone_name()})"
        self.fields["tiers"].help_text = tiers_help(self.initial.get("min_score", FIRST_SCORE))
        perk_type = self.data.get("perk_type") if self.is_bound else self.initial.get("perk_type")
        for name, only in PERK_ONLY.items():
            if perk_type != only:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        """On "Who qualifies", the first tier follows the lowest score (it starts there by
        definition), so that the band can move without a trip back to the offer; a tier the
        new lowest score passes is still a mistake, named at the offer."""
        data = self.cleaned_data
        tiers, lowest = data.get("tiers"), data.get("min_score")
        on_audience = self.step.slug == BuilderStep.AUDIENCE
        if on_audience and tiers and lowest is not None and all(s > lowest for s, _ in tiers[1:]):
            data["tiers"] = ((lowest, tiers[0][1]), *tiers[1:])
        return super().clean()

    def shown(self) -> list[BoundField]:
        return [self[name] for name in self.step.fields if name in self.fields]

    def carried(self) -> list[BoundField]:
        """The other steps' fields, hidden; a picture cannot be, and stays as it is."""
        return [
            field for field in self if field.name not in self.step.fields and field.name != "image"
        ]

    def problems(self, *, typed_only: bool = False) -> list[Problem]:
        """Every field's error with the step that shows it. `typed_only`: while the brand
        types, a field left empty so far is no mistake yet."""
        return [
            Problem(self[name], str(message), FIELD_STEP[name])
            for name, messages in self.errors.items()
            if name in FIELD_STEP and (self._typed(name) or not typed_only)
            for message in messages
        ]

    def checked(self, *, typed_only: bool = False) -> list[BoundField]:
        """The shown fields whose errors a check while typing says afresh (none, if they
        pass); with `typed_only`, an empty one keeps what it said."""
        return [field for field in self.shown() if self._typed(field.name) or not typed_only]

    def _typed(self, name: str) -> bool:
        return bool(self.data.get(name))

    def tier_bands(self) -> list[tuple[int, int, str]]:
        """The tiers typed so far as (from, to, offer), when they and the band read well."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        tiers, lowest = data.get("tiers"), data.get("min_score")
        if not tiers or lowest is None or self.has_error("tiers"):
            return []
        top = data.get("max_score") or 100
        ends = [start - 1 for start, _ in tiers[1:]] + [top]
        return [(start, end, offer) for (start, offer), end in zip(tiers, ends, strict=True)]


class StockForm(forms.Form):
    units = forms.IntegerField(
        min_value=1, max_value=MOST_UNITS, label="Units to add", help_text="Stock only grows."
    )


class EndForm(forms.Form):
    ends_at = forms.DateTimeField(
        label="New end", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_at"].label = f"New end ({zone_name()})"
