"""The Mastodon accounts the daily refresh reads (scoring.services.mastodon_refresh), and what
Sway holds of them already."""

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q

from scoring.models import DoNotTrack, Handle, MastodonCursor, Network, Post, Verification


def handles_to_refresh(*, read_before: datetime | None = None) -> list[Handle]:
    """Mastodon handles with a verified owner who has not opted out, and not on the
    do-not-track list (nor read since `read_before`, if given): least recently read first
    (never read before all), so that what a throttled server leaves one night is read first
    the next."""
    listed = DoNotTrack.objects.filter(
        network=Network.MASTODON, external_id=OuterRef("external_id")
    )
    handles = Handle.objects.all()
    if read_before is not None:
        handles = handles.filter(
            Q(mastodon_cursor__isnull=True) | Q(mastodon_cursor__read_at__lt=read_before)
        )
    return list(
        handles.filter(
            network=Network.MASTODON,
            verification=Verification.VERIFIED,
            person__owner__isnull=False,
            person__opted_out=False,
            username__contains="@",
        )
        .exclude(Exists(listed))
        .order_by(F("mastodon_cursor__read_at").asc(nulls_first=True), "pk")
    )


def handle_cursor(handle: Handle) -> MastodonCursor | None:
    return MastodonCursor.objects.filter(handle=handle).first()


def stored_counts(handle: Handle, *, since: datetime) -> dict[str, tuple[int, int]]:
    """The handle's posts published since then: external id → (favourites, reblogs) as they
    were counted when last read."""
    rows = Post.objects.filter(handle=handle, published_at__gte=since).values_list(
        "external_id", "reported_likes", "reported_shares"
    )
    return {external_id: (likes, shares) for external_id, likes, shares in rows}
