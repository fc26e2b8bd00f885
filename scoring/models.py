"""Who people are online and the signals they leave (words as in docs/ARCHITECTURE.md)."""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from marketplace.models import BaseModel

PUBLIC_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: easy to read aloud
PUBLIC_ID_LENGTH = 10


# Random bytes become alphabet letters through a table, so a million ids take milliseconds.
_BYTE_TO_LETTER = bytes(
    PUBLIC_ID_ALPHABET[b % len(PUBLIC_ID_ALPHABET)].encode()[0] for b in range(256)
)


def new_public_ids(count: int) -> list[str]:
    letters = secrets.token_bytes(count * PUBLIC_ID_LENGTH).translate(_BYTE_TO_LETTER).decode()
    return [letters[i : i + PUBLIC_ID_LENGTH] for i in range(0, len(letters), PUBLIC_ID_LENGTH)]


def new_public_id() -> str:
    return new_public_ids(1)[0]


def fresh_public_ids(
    count: int, taken: Callable[[set[str]], set[str]] = lambda candidates: set()
) -> list[str]:
    """`count` distinct new public ids of which `taken` (a look-up in the person table)
    reports none as used."""
    ids: set[str] = set()
    while len(ids) < count:
        candidates = set(new_public_ids(count - len(ids))) - ids
        ids |= candidates - taken(candidates)
    return list(ids)


def username_key(username: str) -> str:
    """The form in which usernames are compared: '@Alice' and 'alice' are one handle."""
    return username.removeprefix("@").casefold()


class Network(models.TextChoices):
    TWITTER = "twitter", "X / Twitter"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    BLOG = "blog", "Blog"


class Person(BaseModel):
    """The scored identity. An unclaimed handle is its own person; verifying more joins them."""

    public_id = models.CharField(max_length=PUBLIC_ID_LENGTH, default=new_public_id, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # the partial unique index below serves look-ups by owner
        related_name="+",
    )
    opted_out = models.BooleanField(default=False)
    display_name = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200, blank=True, help_text="Free text, e.g. 'Lyon'.")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    # The live model's latest score, so that a page reads one row (scoring.pipeline).
    score = models.FloatField(null=True, blank=True)
    score_day = models.DateField(null=True, blank=True)
    percentile = models.FloatField(null=True, blank=True)
    score_model = models.CharField(
        max_length=20, blank=True, help_text="The model version that made it."
    )

    class Meta:
        verbose_name_plural = "people"
        # Constraints rather than unique=True: no pattern-matching index on public_id, and
        # no index entry for the millions of people nobody has claimed.
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["public_id"], name="person_unique_public_id"),
            models.UniqueConstraint(
                fields=["owner"], condition=Q(owner__isnull=False), name="person_unique_owner"
            ),
        ]
        indexes: ClassVar = [
            # What a campaign's live estimate counts, by an index-only scan (PostgreSQL: a
            # covering index). A live scoring run sets it aside while it rewrites the scores
            # (scoring.pipeline.targeting_index_set_aside).
            models.Index(
                fields=["score"],
                include=["id", "owner", "country"],
                condition=Q(opted_out=False),
                name="person_targeting",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.public_id

    @property
    def score_details(self) -> dict[str, Any]:
        """The latest score explained ({} before the first): select_related("details") when
        reading it for many people."""
        try:
            return self.details.data
        except ScoreDetails.DoesNotExist:
            return {}


class ScoreDetails(models.Model):
    """A person's latest score explained: its model, components, network parts, top
    contributors, influencers, topics and the reasons it moved. Apart from Person, whose rows
    stay narrow for the scans that count people (a campaign's live estimate reads them all)."""

    # No constraint: the pipeline writes a million rows a day; Django still deletes a
    # person's details with the person.
    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="details",
    )
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name_plural = "score details"

    def __str__(self) -> str:
        return f"{self.person_id}: {self.data.get('model', '')}"


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    PENDING = "pending", "Pending"
    VERIFIED = "verified", "Verified"


class Handle(BaseModel):
    """One account on one network. It exists, and is scored, whether or not anyone claimed it."""

    # No database constraint: the importers create handles by the million and a per-row
    # check adds much to that (docs/PERFORMANCE.md, "Importing signals"); Django still
    # cascades deletes, and only services write.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, db_constraint=False, related_name="handles"
    )
    network = models.CharField(max_length=16, choices=Network.choices)
    external_id = models.CharField(max_length=100, help_text="The network's own id.")
    username = models.CharField(
        max_length=100, blank=True, help_text="Empty while only the network's id is known."
    )
    username_key = models.CharField(max_length=100, blank=True, editable=False)
    display_name = models.CharField(max_length=200, blank=True)
    avatar_url = models.URLField(max_length=500, blank=True)
    profile_url = models.URLField(max_length=500, blank=True)
    is_private = models.BooleanField(default=False)
    access_granted = models.BooleanField(
        default=False, help_text="The owner lets Sway read this private account's engagement."
    )
    followers_count = models.PositiveIntegerField(
        default=0, help_text="Shown on profiles; never used by the score."
    )
    verification = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["network", "external_id"], name="handle_unique_external_id"
            ),
            models.UniqueConstraint(
                fields=["network", "username_key"],
                condition=~Q(username_key=""),
                name="handle_unique_username",
            ),
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        self.username_key = username_key(self.username)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return (
            f"{self.network}:@{self.username}"
            if self.username
            else f"{self.network}:#{self.external_id}"
        )

    @property
    def short_name(self) -> str:
        """The handle where its network is named beside it: @alice, or #88 while only the
        network's id is known."""
        return f"@{self.username}" if self.username else f"#{self.external_id}"


class TopicStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    BANNED = "banned", "Banned"
    MERGED = "merged", "Merged into another"


# What a topic may be merged into or be a child of.
LIVE_TOPIC_STATUSES = (TopicStatus.APPROVED, TopicStatus.PENDING)


def topic_is_public(path: str = "") -> Q:
    """A topic people may see: approved and never sensitive. `path` reaches the topic through a
    relation, as in "topic__"."""
    return Q(**{f"{path}status": TopicStatus.APPROVED, f"{path}is_sensitive": False})


# The same rule in SQL, for statements written by hand; `{t}` is the topic table's alias
# (tests/scoring/test_topic_rule.py holds the two together).
PUBLIC_TOPIC_SQL = f"{{t}}.status = '{TopicStatus.APPROVED.value}' AND NOT {{t}}.is_sensitive"


class Topic(BaseModel):
    """An entry of the moderated taxonomy. Parents form a DAG: a topic may have several."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="children",
        blank=True,
        limit_choices_to={"status__in": LIVE_TOPIC_STATUSES},
    )
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, matched too.")
    keywords = models.JSONField(default=list, blank=True, help_text="Words that suggest it.")
    status = models.CharField(
        max_length=16, choices=TopicStatus.choices, default=TopicStatus.PENDING, db_index=True
    )
    is_sensitive = models.BooleanField(
        default=False, help_text="Never shown publicly nor offered to brands."
    )
    is_area = models.BooleanField(
        default=False, help_text="One of the broad areas the topic index is browsed by."
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_topics",
        limit_choices_to={"status__in": LIVE_TOPIC_STATUSES},
        help_text="The topic this one became: its page and links lead there.",
    )
    wikidata_id = models.CharField(max_length=20, blank=True)
    # Klout's ids reach 10^19, past a signed 64-bit integer: kept as text.
    klout_id = models.CharField(max_length=20, blank=True, db_index=True)

    class Meta:
        ordering = ("name",)
        indexes: ClassVar = [models.Index(Lower("name"), name="topic_name_lower")]

    @property
    def is_public(self) -> bool:
        """topic_is_public, for a topic in hand."""
        return self.status == TopicStatus.APPROVED and not self.is_sensitive

    def __str__(self) -> str:
        return self.name


class PostKind(models.TextChoices):
    ORIGINAL = "original", "Original"
    REPLY = "reply", "Reply"
    SHARE = "share", "Share"


class Post(BaseModel):
    # No index of its own: the two below start with it. With one, PostgreSQL's statistics
    # a little stale made it look posts up by handle alone and filter by external id, reading
    # all of a busy account's posts for each (docs/PERFORMANCE.md, "Bluesky's stream").
    handle = models.ForeignKey(
        Handle, on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    external_id = models.CharField(max_length=100)
    published_at = models.DateTimeField()
    text = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=16, choices=PostKind.choices, default=PostKind.ORIGINAL)
    # What the network reports when it does not say who engaged (e.g. an archive's counts).
    reported_likes = models.PositiveIntegerField(default=0)
    reported_shares = models.PositiveIntegerField(default=0)
    topics = models.ManyToManyField(Topic, related_name="posts", blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["handle", "external_id"], name="post_unique_external_id"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["handle", "published_at"])]

    def __str__(self) -> str:
        return f"{self.handle} post {self.external_id}"


class InteractionKind(models.IntegerChoices):
    SHARE = 1, "share"
    REPLY = 2, "reply"
    COMMENT = 3, "comment"
    MENTION = 4, "mention"
    LIKE = 5, "like"


class Interaction(models.Model):
    """One engagement: `actor` did `kind` to `target` (maybe on a post) at `occurred_at`.

    The natural key is the primary key, so re-importing a signal adds nothing. On PostgreSQL
    the table is range-partitioned by month (migration 0002, partitions made on demand by
    scoring.partitions) and has no foreign-key constraints: the importers resolve every id
    against the handle table themselves, and a per-row constraint check would halve the
    import rate.
    """

    # Time first: the window query is a range scan of it, and sorted batches append.
    pk = models.CompositePrimaryKey("occurred_at", "actor_id", "target_id", "kind")
    actor = models.ForeignKey(
        Handle, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    target = models.ForeignKey(
        Handle, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    kind = models.PositiveSmallIntegerField(choices=InteractionKind.choices)
    occurred_at = models.DateTimeField()
    post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.actor_id} {self.get_kind_display()} {self.target_id} {self.occurred_at}"


class DoNotTrack(models.Model):
    """A handle whose owner opted out: importers skip every signal that involves it."""

    network = models.CharField(max_length=16, choices=Network.choices)
    external_id = models.CharField(max_length=100)
    username_key = models.CharField(max_length=100, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "do-not-track entry"
        verbose_name_plural = "do-not-track list"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["network", "external_id"], name="dnt_unique_handle"),
        ]

    def __str__(self) -> str:
        return f"{self.network}:{self.external_id}"


SCORE_PARTS = ("reach", "amplification", "network")  # what a score is made of (docs/SCORING.md)


class ScoreSnapshot(models.Model):
    """A person's score on a day by a model version: the history, and shadow runs beside it."""

    pk = models.CompositePrimaryKey("person_id", "day", "model_version")
    # No constraint: the pipeline writes a million rows a day with COPY; Django still
    # deletes a person's history with the person.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, db_constraint=False, related_name="snapshots"
    )
    day = models.DateField()
    model_version = models.CharField(max_length=20)
    score = models.FloatField()
    reach = models.FloatField()
    amplification = models.FloatField()
    network = models.FloatField()
    # 0 from the versions that do not count it (scoring.score_parts); null on the days scored
    # before it was kept.
    persistence = models.FloatField(null=True, blank=True)
    percentile = models.FloatField()

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["model_version", "day"], name="snapshot_version_day")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {self.model_version}: {self.score}"


class PersonTopic(models.Model):
    """A topic a person is influential about and their 1–100 score on it, as the last daily
    run found: up to ten a person. Leaderboards and brand targeting read it."""

    pk = models.CompositePrimaryKey("person_id", "topic_id")
    # No constraint, as for snapshots: the run replaces every row with COPY.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, db_constraint=False, related_name="topic_scores"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, db_constraint=False, related_name="person_scores"
    )
    score = models.FloatField()

    class Meta:
        indexes: ClassVar = [
            models.Index("topic", models.F("score").desc(), name="persontopic_leaderboard")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.topic_id}: {self.score}"


VERIFICATION_CODE_LIFETIME = timedelta(days=2)


def new_verification_code() -> str:
    return f"sway-{new_public_id()[:8]}"


class HandleVerification(BaseModel):
    """A signed-in user's attempt to prove a handle is theirs, by putting `code` where only
    the handle's owner can: its bio or a public post."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    handle = models.ForeignKey(Handle, on_delete=models.CASCADE, related_name="verifications")
    code = models.CharField(max_length=20, unique=True, default=new_verification_code)
    checked_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=300, blank=True, help_text="Why the last check failed.")
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.handle} by {self.user_id}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + VERIFICATION_CODE_LIFETIME


class Endorsement(models.Model):
    """ "+K": one person vouching for another on a topic. Shown, never scored."""

    giver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="endorsements")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["receiver", "topic"], name="endorsement_received"),
            models.Index(fields=["giver", "-given_at"], name="endorsement_given"),
        ]

    def __str__(self) -> str:
        return f"+K from {self.giver_id} to {self.receiver_id} on {self.topic_id}"


class HiddenTopic(models.Model):
    """A topic a person took off their profile: never shown, never used to target perks."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hidden_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    hidden_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "topic"], name="hidden_topic_once")
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} hidden by {self.person_id}"


class TopicReport(BaseModel):
    """Someone saying a topic on a profile is wrong or inappropriate, for moderators."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=500, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=100, blank=True, help_text="What moderators did.")

    def __str__(self) -> str:
        return f"{self.topic} on {self.person}"


OPT_OUT_REVIEW_TIME = timedelta(days=30)  # staff answer within a month, as the GDPR asks


class OptOutRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Opted out"
    REJECTED = "rejected", "Turned down"


class OptOutRequest(BaseModel):
    """Someone asking that a handle they cannot verify here stop being scored. Its person is
    hidden (marked opted out, its data kept) from the moment it is filed; staff then opt it
    out for good or show it again (scoring.services.opt_out_requests)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    handle = models.ForeignKey(Handle, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(
        max_length=2000, help_text="Why the handle is theirs, in the requester's words."
    )
    status = models.CharField(
        max_length=16, choices=OptOutRequestStatus.choices, default=OptOutRequestStatus.PENDING
    )
    answer_by = models.DateTimeField(help_text="When staff must have decided.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_note = models.CharField(
        max_length=500, blank=True, help_text="Told to the requester when turned down."
    )

    class Meta:
        verbose_name = "opt-out request"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["handle"],
                condition=Q(status="pending"),
                name="opt_out_request_one_pending_per_handle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handle} by {self.user_id}"


class TopicEvidence(models.Model):
    """Why a pending topic was proposed: a hashtag many people used that no topic names."""

    topic = models.OneToOneField(
        Topic, on_delete=models.CASCADE, primary_key=True, related_name="evidence"
    )
    hashtag = models.CharField(max_length=200)
    people = models.PositiveIntegerField(help_text="Distinct people who used it.")
    posts = models.PositiveIntegerField(help_text="Posts that carried it.")
    samples = models.ManyToManyField(Post, related_name="+", blank=True)
    counted_since = models.DateTimeField()
    counted_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "topic evidence"

    def __str__(self) -> str:
        return f"{self.hashtag}: {self.people} people, {self.posts} posts"


class ModerationAction(models.TextChoices):
    CREATE = "create", "Created"
    APPROVE = "approve", "Approved"
    EDIT = "edit", "Edited"
    MERGE = "merge", "Merged"
    BAN = "ban", "Banned"
    SENSITIVE = "sensitive", "Marked sensitive"
    NOT_SENSITIVE = "not-sensitive", "Marked not sensitive"
    PROPOSE = "propose", "Proposed from a hashtag"
    DISMISS_REPORT = "dismiss-report", "Dismissed a report"
    HIDE_ON_PROFILE = "hide-on-profile", "Hid from a profile"


class ModerationLogEntry(models.Model):
    """Who did what to the taxonomy, and when. Written by every moderation service."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for Sway's own actions (proposals from hashtags).",
    )
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="moderation_log")
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("-at", "-pk")
        verbose_name_plural = "moderation log"

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.topic}"


class ModelBacktest(BaseModel):
    """One weekly measurement of how well a model version predicted who would move people:
    everyone scored as of the cut day, ranked against how many different people engaged with
    each of them over the horizon after it, beside the naive counts the score must beat
    (scoring.backtest). Written by scoring.services.backtests; the about page shows them."""

    measured_on = models.DateField()
    model_version = models.CharField(max_length=20)
    cut_day = models.DateField()
    horizon_days = models.PositiveSmallIntegerField()
    candidates = models.PositiveIntegerField(
        help_text="People ranked: everyone anyone engaged with in the 90 days before the cut."
    )
    spearman = models.FloatField(help_text="The model's Spearman's rho.")
    top_precision = models.FloatField(
        help_text="Share of the model's top 1 % that was in the true top 1 %."
    )
    baselines = models.JSONField(
        default=list,
        help_text='Each naive count\'s fit, in order: [{"name", "spearman", "top_precision"}].',
    )

    class Meta:
        constraints: ClassVar = [
            # Its index also serves the history, newest first.
            models.UniqueConstraint(
                fields=["measured_on", "model_version"], name="model_backtest_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_version} on {self.measured_on}: {self.spearman}"


class StreamCursor(models.Model):
    """How far a stream consumer has written: the `time_us` of the last event of its last
    batch, saved in that batch's transaction, so that a restart resumes exactly after it
    (scoring.ingest.bluesky)."""

    stream = models.CharField(max_length=32, primary_key=True)
    time_us = models.BigIntegerField(help_text="µs since the Unix epoch, as the stream counts.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.stream} at {self.time_us}"


class BlueskyRecord(models.Model):
    """What one Bluesky record (a post, like, repost or follow) made here. The stream names a
    deleted record by its address alone (at://did/collection/rkey), and this is how its
    deletion finds what to undo: the post the address names, the interactions its author made
    then (one per target and kind), or one follower of the account it followed."""

    # Three columns rather than the at:// text: no pattern-matching index beside the key's.
    # The record key first: TIDs rise with time, so new records go to the index's right edge.
    pk = models.CompositePrimaryKey("rkey", "did", "collection")
    did = models.CharField(max_length=100, help_text="The record's author.")
    collection = models.CharField(max_length=40)
    rkey = models.CharField(max_length=100)
    occurred_at = models.DateTimeField()
    interactions = models.JSONField(
        default=list, blank=True, help_text="[target's DID, interaction kind] pairs."
    )
    followed = models.CharField(
        max_length=100, blank=True, help_text="A follow: the DID of the account followed."
    )

    def __str__(self) -> str:
        return f"at://{self.did}/{self.collection}/{self.rkey}"


class MastodonCursor(models.Model):
    """Where the daily refresh last stopped reading a verified Mastodon handle
    (scoring.services.mastodon_refresh): the newest status read, so that the next read asks
    the server only for newer ones (Mastodon's min_id), and when."""

    handle = models.OneToOneField(
        Handle, on_delete=models.CASCADE, primary_key=True, related_name="mastodon_cursor"
    )
    status_id = models.CharField(max_length=100, blank=True, help_text="The newest status read.")
    read_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.handle_id} at {self.status_id or '-'}"
