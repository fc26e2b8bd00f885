"""Staff moderation of the taxonomy (topics, the queue of reported topics, the moderation log;
every change goes through scoring.services.topic_moderation, which logs it) and the queue of opt-out
requests for handles that cannot be verified here (scoring.services.opt_out_requests)."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from marketplace.admin_actions import apply_each, ask_first
from marketplace.models import User
from scoring.models import (
    ModerationLogEntry,
    OptOutRequest,
    OptOutRequestStatus,
    Topic,
    TopicReport,
    TopicStatus,
)
from scoring.services.opt_out_requests import opt_out_request_approve, opt_out_request_reject
from scoring.services.topic_moderation import (
    EDITABLE_FIELDS,
    report_dismiss,
    report_hide_on_profile,
    topic_approve,
    topic_ban,
    topic_create,
    topic_edit,
    topic_mark_sensitive,
    topic_merge,
    would_make_cycle,
)


def _apply(
    request: HttpRequest,
    rows: QuerySet[Any],
    done: str,
    service: Callable[..., None],
    key: str,
    **arguments: Any,
) -> None:
    """Call a moderation service on each selected row, passed as `key`."""
    moderator = cast(User, request.user)  # the admin site lets staff users in only

    def act(row: Any) -> None:
        service(moderator=moderator, **{key: row}, **arguments)

    apply_each(request, rows, done, act)


class NamesField(forms.Field):
    """A list of names, written one a line (commas would split "Washington, D.C.")."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> str:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        lines = (line.strip() for line in str(value or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


class TopicForm(forms.ModelForm):
    aliases = NamesField(required=False, help_text="Other names, one a line; matched too.")
    keywords = NamesField(required=False, help_text="Words that suggest it, one a line.")

    def clean_parents(self) -> QuerySet[Topic]:
        parents: QuerySet[Topic] = self.cleaned_data["parents"]
        if self.instance.pk and would_make_cycle(
            self.instance.pk, {parent.pk for parent in parents}
        ):
            raise forms.ValidationError(
                "A topic cannot be its own parent, nor the child of one of its descendants."
            )
        return parents


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Topic.objects.filter(status__in=[TopicStatus.APPROVED, TopicStatus.PENDING]),
        label="Merge into",
        widget=AutocompleteSelect(Topic._meta.get_field("merged_into"), admin.site),
        help_text="The selected topics' names become its aliases; their people, posts, +K and "
        "campaign targets become its.",
    )


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicForm
    list_display = (
        "name",
        "slug",
        "status",
        "merged_into",
        "is_sensitive",
        "is_area",
        "proposed_by",
    )
    list_filter = ("status", "is_sensitive", "is_area")
    search_fields = ("name", "slug")
    autocomplete_fields = ("parents",)
    list_select_related = ("evidence", "merged_into")
    readonly_fields = ("status", "is_sensitive", "is_area", "merged_into", "klout_id", "proof")
    fields = (
        "name",
        "slug",
        "description",
        "aliases",
        "keywords",
        "parents",
        "wikidata_id",
        "status",
        "is_sensitive",
        "is_area",
        "merged_into",
        "klout_id",
        "proof",
    )
    actions = ("approve", "ban", "mark_sensitive", "mark_not_sensitive", "merge")

    def has_delete_permission(self, request: HttpRequest, obj: Topic | None = None) -> bool:
        return False  # a wrong topic is banned, so that it is never proposed again

    @admin.display(description="Proposed by")
    def proposed_by(self, topic: Topic) -> str:
        evidence = getattr(topic, "evidence", None)
        return str(evidence) if evidence else ""

    @admin.display(description="Evidence")
    def proof(self, topic: Topic) -> str:
        evidence = getattr(topic, "evidence", None)
        if evidence is None:
            return "—"
        samples = format_html_join(
            "",
            "<li>{}: “{}”</li>",
            ((post.handle, post.text) for post in evidence.samples.select_related("handle")),
        )
        since = f"{evidence.counted_since:%Y-%m-%d}"
        return format_html(
            "{} used by {} people in {} posts since {}.<ul>{}</ul>",
            evidence.hashtag,
            evidence.people,
            evidence.posts,
            since,
            samples,
        )

    def save_model(self, request: HttpRequest, obj: Topic, form: Any, change: bool) -> None:
        if not change:
            topic_create(moderator=cast(User, request.user), topic=obj)
        # An edit is saved with its parents, in save_related, as one logged change.

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        changes = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in EDITABLE_FIELDS
        }
        topic_edit(
            moderator=cast(User, request.user),
            topic=form.instance,
            changes=changes,
            parents=form.cleaned_data["parents"],
        )

    @admin.action(description="Approve the selected topics")
    def approve(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        done = "Approved; their posts and people are being found, and your inbox says when"
        _apply(request, queryset, done, topic_approve, "topic")

    @admin.action(description="Ban the selected topics (gone everywhere, never proposed again)")
    def ban(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        _apply(request, queryset, "Banned", topic_ban, "topic")

    @admin.action(description="Mark the selected topics sensitive (never public, never offered)")
    def mark_sensitive(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        _apply(
            request,
            queryset,
            "Marked sensitive",
            topic_mark_sensitive,
            "topic",
            sensitive=True,
        )

    @admin.action(description="Mark the selected topics not sensitive")
    def mark_not_sensitive(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        _apply(
            request,
            queryset,
            "Marked not sensitive",
            topic_mark_sensitive,
            "topic",
            sensitive=False,
        )

    @admin.action(description="Merge the selected topics into another…")
    def merge(self, request: HttpRequest, queryset: QuerySet[Topic]) -> HttpResponse | None:
        form = MergeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            target = form.cleaned_data["target"]
            done = f"Merged into {target}"
            _apply(request, queryset, done, topic_merge, "source", target=target)
            return None
        intro = (
            "These topics will become part of the topic you choose. Their names become its "
            "aliases, and everything that named them (posts, people's topic scores, +K, hidden "
            "topics, reports, campaign targets) will name it instead; their pages lead to it."
        )
        return ask_first(
            self, request, queryset, form, action="merge", title="Merge topics", intro=intro
        )


class OpenReports(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("open", "resolved"):
            return queryset.filter(resolved_at__isnull=self.value() == "open")
        return queryset


@admin.register(TopicReport)
class TopicReportAdmin(admin.ModelAdmin):
    list_display = (
        "topic",
        "profile",
        "reason",
        "reporter",
        "created_at",
        "resolved_at",
        "outcome",
    )
    list_filter = (OpenReports,)
    list_select_related = ("topic", "person", "reporter")
    search_fields = ("topic__name", "reason")
    actions = ("dismiss", "hide_on_profile", "ban_topic", "mark_topic_sensitive")

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        return [F("resolved_at").desc(nulls_first=True), "-created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # settled through the actions, which log what was done

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Profile")
    def profile(self, report: TopicReport) -> str:
        url = reverse("scoring:profile", args=[report.person.public_id])
        return format_html('<a href="{}">{}</a>', url, report.person)

    @admin.action(description="Dismiss: the topic is right")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[TopicReport]) -> None:
        _apply(request, queryset, "Dismissed", report_dismiss, "report")

    @admin.action(description="Hide the topic from that profile")
    def hide_on_profile(self, request: HttpRequest, queryset: QuerySet[TopicReport]) -> None:
        _apply(request, queryset, "Hidden on the profile", report_hide_on_profile, "report")

    @admin.action(description="Ban the reported topic everywhere")
    def ban_topic(self, request: HttpRequest, queryset: QuerySet[TopicReport]) -> None:
        topics = Topic.objects.filter(pk__in=queryset.values("topic"))
        _apply(request, topics, "Topics banned", topic_ban, "topic")

    @admin.action(description="Mark the reported topic sensitive")
    def mark_topic_sensitive(self, request: HttpRequest, queryset: QuerySet[TopicReport]) -> None:
        topics = Topic.objects.filter(pk__in=queryset.values("topic"))
        _apply(
            request,
            topics,
            "Topics marked sensitive",
            topic_mark_sensitive,
            "topic",
            sensitive=True,
        )


@admin.register(ModerationLogEntry)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ("at", "moderator", "action", "topic", "detail")
    list_filter = ("action",)
    list_select_related = ("moderator", "topic")
    search_fields = ("topic__name", "moderator__email", "detail")
    date_hierarchy = "at"
    fields = ("at", "moderator", "action", "topic", "detail")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RejectOptOutForm(forms.Form):
    note = forms.CharField(
        max_length=500,
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to the requester, e.g. 'the handle's bio names someone else'.",
    )


@admin.register(OptOutRequest)
class OptOutRequestAdmin(admin.ModelAdmin):
    """The queue: waiting requests first, the most urgent at the top."""

    list_display = ("handle", "requester", "message", "created_at", "due", "status")
    list_filter = ("status",)
    list_select_related = ("handle", "user")
    search_fields = ("handle__username", "user__email", "message")
    fields = (
        "handle",
        "user",
        "message",
        "created_at",
        "answer_by",
        "status",
        "decided_at",
        "decided_by",
        "staff_note",
    )
    readonly_fields = fields
    actions = ("approve", "reject")

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        pending_first = F("decided_at").desc(nulls_first=True)
        return [pending_first, "answer_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Requester", ordering="user__email")
    def requester(self, row: OptOutRequest) -> str:
        return str(row.user)

    @admin.display(description="Answer by", ordering="answer_by")
    def due(self, row: OptOutRequest) -> str:
        if row.status != OptOutRequestStatus.PENDING:
            return "—"
        when = timezone.localtime(row.answer_by).strftime("%-d %b %Y")
        if row.answer_by < timezone.now():
            return format_html('<strong class="errornote">{} (overdue)</strong>', when)
        return when

    @admin.action(description="Opt the handles out: they are the requesters'")
    def approve(self, request: HttpRequest, queryset: QuerySet[OptOutRequest]) -> None:
        staff = cast(User, request.user)

        def approve(row: OptOutRequest) -> None:
            opt_out_request_approve(request=row, staff=staff)

        apply_each(request, queryset, "Opted out", approve)

    @admin.action(description="Turn down, saying why, and show the handles again…")
    def reject(
        self, request: HttpRequest, queryset: QuerySet[OptOutRequest]
    ) -> HttpResponse | None:
        form = RejectOptOutForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            staff, note = cast(User, request.user), form.cleaned_data["note"]

            def reject(row: OptOutRequest) -> None:
                opt_out_request_reject(request=row, staff=staff, note=note)

            apply_each(request, queryset, "Turned down", reject)
            return None
        intro = "The requesters are told why, and the handles show on Sway again."
        return ask_first(
            self, request, queryset, form, action="reject", title="Turn down requests", intro=intro
        )
