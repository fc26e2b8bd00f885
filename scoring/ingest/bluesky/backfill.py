"""A Bluesky account's last 90 days, read through the AppView (`import_signals --format bluesky
--account HANDLE`, and the task a verified Bluesky handle sets going): its posts, with the
interactions they make (reply parents, quotes, mentions), and for each post, who liked,
reposted, quoted and replied to it.

Every record goes through `events.created`, as the stream's do: the same DIDs, record keys,
times and interactions, so that the writer's keys (a post's author and record key, an
interaction's time, actor, target and kind) hold each once, whichever way came first. A like
keeps its own createdAt. The AppView does not say when a repost was made: the post's time
stands for it, and a repost of that post Sway has already (from the stream) is not added.

Everything is read before the first line is given: a failed call raises AppViewError (a
SourceError) and nothing is written; a malformed item is a bad line of its own."""

from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta

from atproto_client.models.utils import get_model_as_dict

from marketplace.text import is_web_address
from scoring.ingest import checks
from scoring.ingest.bluesky import events, identifiers
from scoring.ingest.bluesky.appview import AppView, AppViewError, Item, PostView, Profile
from scoring.ingest.bulk_contract import datetime_to_micros
from scoring.ingest.records import (
    HandleRecord,
    InteractionRecord,
    PostRecord,
    RecordError,
    Source,
    SourceError,
    SourceLine,
)
from scoring.models import Handle, Interaction, InteractionKind

NETWORK = events.NETWORK
WINDOW = timedelta(days=90)  # the scoring window: older posts are not read


def read(account: str, *, appview: AppView | None = None) -> Source:
    """Every line of the account's backfill, read now; AppViewError if a call fails."""
    actor = _actor(account)
    with closing(appview or AppView()) as client:
        profile = client.profile(actor)
        try:
            owner = _handle(profile)
        except RecordError as error:
            url = client.url("app.bsky.actor.getProfile", actor=actor)
            raise AppViewError(url, f"not a usable profile: {error}") from None
        return iter(_Backfill(client, owner).lines())


def _actor(account: str) -> str:
    name = account.strip().removeprefix("@")
    try:
        return identifiers.did(name) if name.startswith("did:") else identifiers.handle(name)
    except RecordError:
        raise SourceError(
            f"--account must be a Bluesky handle such as alice.bsky.social, or a DID, not "
            f"{account[:100]!r}"
        ) from None


class _Backfill:
    def __init__(self, appview: AppView, owner: HandleRecord):
        self.appview = appview
        self.owner = owner
        self.out: list[SourceLine] = [SourceLine(f"at://{owner.external_id}", owner)]
        self.described = {owner.external_id}  # handles given, each once
        self.posts: set[tuple[str, str]] = set()  # (author, record key) of the posts given
        self.cutoff = datetime.now(UTC) - WINDOW

    def lines(self) -> list[SourceLine]:
        own = self._own_posts()
        reposted = _reposts_known(self.owner.external_id, self.cutoff)
        for view, post in own:
            self._engagement(view, post, reposted)
        return self.out

    def _own_posts(self) -> list[tuple[PostView, PostRecord]]:
        """The account's posts of the window (not its reposts of others'), newest first."""
        own = []
        for item in self.appview.author_feed(self.owner.external_id):
            if item.model is None:
                self.out.append(SourceLine(item.location, error=item.error))
                continue
            view = item.model.post
            if item.model.reason is not None or view.author.did != self.owner.external_id:
                continue  # a repost, or a pinned post, shown in the feed
            create = self._create(item.location, view)
            if create is None:
                continue
            if create.occurred_at < self.cutoff:
                break  # the feed comes newest first
            own.append((view, self._give(item.location, view, create)))
        return own

    def _post(self, location: str, view: PostView) -> None:
        create = self._create(location, view)
        if create is not None:
            self._give(location, view, create)

    def _create(self, location: str, view: PostView) -> events.Create | None:
        """The post as the stream would have it, or None and a bad line."""
        try:
            record = get_model_as_dict(view.record)
            create = events.created(view.uri, record, _micros(view.indexed_at))
            if not isinstance(create, events.Create) or create.post is None:
                raise RecordError(f"{view.uri[:200]} is not a post")
            if create.key.did != view.author.did:
                raise RecordError(f"{view.uri[:200]} is not by {view.author.did[:100]}")
            create.post.reported_likes = checks.count(view.like_count or 0, "likeCount")
            create.post.reported_shares = checks.count(view.repost_count or 0, "repostCount")
            _handle(view.author)
        except RecordError as error:
            self.out.append(SourceLine(location, error=str(error)))
            return None
        return create

    def _give(self, location: str, view: PostView, create: events.Create) -> PostRecord:
        """Give the post, its author and the interactions it makes (once)."""
        post = create.post
        assert post is not None  # noqa: S101 - _create gives posts only
        key = (post.author, post.external_id)
        if key in self.posts:
            return post
        self.posts.add(key)
        self.out += (SourceLine(f"at://{h.external_id}", h) for h in self._describe(view.author))
        self.out.append(SourceLine(location, post))
        self.out += (
            SourceLine(
                location,
                InteractionRecord(
                    NETWORK,
                    create.key.did,
                    target.did,
                    target.kind,
                    create.occurred_at,
                    target.post if (target.did, target.post) in self.posts else None,
                ),
            )
            for target in create.targets
        )
        return post

    def _engagement(self, view: PostView, post: PostRecord, reposted: set[tuple[str, str]]) -> None:
        # A count of 0 is trusted, to spare calls.
        if view.like_count != 0:
            self._likes(view.uri, post)
        if view.repost_count != 0:
            self._reposts(view.uri, post, reposted)
        if view.quote_count != 0:
            for item in self.appview.quotes(view.uri):
                self._given(item, lambda quote: quote)
        if view.reply_count != 0:
            for reply in self.appview.replies(view.uri):
                self._given(reply, lambda thread: thread.post)

    def _given[M](self, item: Item[M], post_of: Callable[[M], PostView]) -> None:
        if item.model is None:
            self.out.append(SourceLine(item.location, error=item.error))
        else:
            self._post(item.location, post_of(item.model))

    def _likes(self, uri: str, post: PostRecord) -> None:
        for item in self.appview.likes(uri):
            like = item.model
            try:
                if like is None:
                    raise RecordError(item.error)
                at = events.occurred_at(like.created_at, _micros(like.indexed_at))
            except RecordError as error:
                self.out.append(SourceLine(item.location, error=str(error)))
                continue
            self._engager(item.location, like.actor, post, InteractionKind.LIKE, at)

    def _reposts(self, uri: str, post: PostRecord, known: set[tuple[str, str]]) -> None:
        for item in self.appview.reposted_by(uri):
            if item.model is None:
                self.out.append(SourceLine(item.location, error=item.error))
            elif (item.model.did, post.external_id) not in known:
                # When it was reposted is not told: the post's own time stands for it.
                at = post.published_at
                self._engager(item.location, item.model, post, InteractionKind.SHARE, at)

    def _engager(
        self,
        location: str,
        profile: Profile,
        post: PostRecord,
        kind: InteractionKind,
        at: datetime,
    ) -> None:
        if profile.did == self.owner.external_id:
            return  # one's own engagement counts not, as in the stream
        try:
            actor = self._describe(profile)
        except RecordError as error:
            self.out.append(SourceLine(location, error=str(error)))
            return
        self.out += (SourceLine(f"at://{h.external_id}", h) for h in actor)
        interaction = InteractionRecord(
            NETWORK, profile.did, post.author, kind, at, post=post.external_id
        )
        self.out.append(SourceLine(location, interaction))

    def _describe(self, profile: object) -> list[HandleRecord]:
        handle = _handle(profile)
        if handle.external_id in self.described:
            return []
        self.described.add(handle.external_id)
        return [handle]


def _handle(profile: object) -> HandleRecord:
    did = identifiers.did(getattr(profile, "did", None))
    name = getattr(profile, "handle", "")
    display_name = getattr(profile, "display_name", None) or ""
    return HandleRecord(
        network=NETWORK,
        external_id=did,
        username="" if name == events.NO_HANDLE else identifiers.handle(name),
        display_name=checks.text(display_name, "displayName", limit=200),
        avatar_url=_web_address(getattr(profile, "avatar", None)),
        profile_url=f"https://bsky.app/profile/{did}",
        followers_count=checks.count(getattr(profile, "followers_count", None) or 0, "followers"),
    )


def _web_address(value: object) -> str:
    if isinstance(value, str) and len(value) <= 500 and is_web_address(value):
        return value
    return ""


def _micros(value: str) -> int:
    """An AppView time (indexedAt) in µs since the epoch."""
    try:
        moment = datetime.fromisoformat(value) if len(value) <= 40 else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise RecordError(f"indexedAt is not an ISO 8601 time: {value[:40]!r}")
    return datetime_to_micros(checks.moment(moment.astimezone(UTC), "indexedAt"))


def _reposts_known(owner: str, since: datetime) -> set[tuple[str, str]]:
    """(reposter's DID, record key) of the reposts of the account's posts Sway has already."""
    target = Handle.objects.filter(network=NETWORK, external_id=owner).values("pk")
    rows = Interaction.objects.filter(
        target_id__in=target, kind=InteractionKind.SHARE, occurred_at__gte=since
    ).exclude(post=None)
    return set(rows.values_list("actor__external_id", "post__external_id"))
