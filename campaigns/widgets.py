"""The targeting pickers of the campaign form: the chosen values as chips, each a ticked box
named after the field (unticking removes it, with or without JavaScript), and a way to add
more: a search box whose suggestions come from an htmx endpoint (the countries' also as a list
to choose from, for a browser without JavaScript). static/js/picker.js gives them their
keyboard use (the combobox and listbox pattern)."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer, TemplatesSetting
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString

from campaigns.places import COUNTRY_CHOICES
from scoring.selectors.places import places_given
from scoring.selectors.topic_picker import topic_choices

# The pickers' template is the project's (templates/), where Django's own form renderer
# does not look.
PROJECT_TEMPLATES = TemplatesSetting()
UNKNOWN_PLACE = "nobody on Sway gives this place yet"


class ChipPicker(forms.Widget):
    template_name = "campaigns/widgets/chip_picker.html"
    noun, plural = "value", "values"
    placeholder = ""
    free_text = False  # whether what is typed may be added as it is

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_url = ""  # the suggestions' endpoint, set by the form that knows the brand

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> list[str]:
        if isinstance(data, MultiValueDict):
            return data.getlist(name)
        value = data.get(name)
        return list(value) if isinstance(value, list | tuple) else [value] if value else []

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return False  # no chip sent is an empty choice, as with checkboxes

    def chosen(self, values: list[Any]) -> list[tuple[str, str, str]]:
        """(value, label, note) of each chosen value worth showing."""
        return [(str(value), str(value), "") for value in values if str(value).strip()]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = list(value) if isinstance(value, list | tuple) else [value] if value else []
        context["widget"].update(
            chosen=self.chosen(values),
            noun=self.noun,
            plural=self.plural,
            placeholder=self.placeholder,
            free_text=self.free_text,
            search_url=self.search_url,
        )
        return context

    def format_value(self, value: Any) -> Any:
        return value  # a list, drawn chip by chip

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        return super().render(name, value, attrs, PROJECT_TEMPLATES)


class TopicPicker(ChipPicker):
    noun, plural = "topic", "topics"
    placeholder = "Search topics, or browse the areas"

    def chosen(self, values: list[Any]) -> list[tuple[str, str, str]]:
        pks = []
        for value in values:
            pk = getattr(value, "pk", value)
            if isinstance(pk, int) or (isinstance(pk, str) and pk.isascii() and pk.isdigit()):
                pks.append(int(pk))
        return [(str(choice.pk), choice.label, "") for choice in topic_choices(pks=pks)]


class CityPicker(ChipPicker):
    noun, plural = "city", "cities"
    placeholder = "Type a city"
    free_text = True

    def chosen(self, values: list[Any]) -> list[tuple[str, str, str]]:
        """A city nobody gives is kept, but said to be so."""
        cities = super().chosen(values)
        given = places_given(names=[value for value, _, _ in cities])
        return [(city, city, "" if city.lower() in given else UNKNOWN_PLACE) for city, *_ in cities]


class CountryPicker(ChipPicker):
    noun, plural = "country", "countries"
    placeholder = "Type a country or its code"

    def chosen(self, values: list[Any]) -> list[tuple[str, str, str]]:
        codes = {str(value).upper(): None for value in values}
        return [(code, label, "") for code, label in COUNTRY_CHOICES if code in codes]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["choices"] = COUNTRY_CHOICES
        return context
