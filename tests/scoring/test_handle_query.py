import pytest

from scoring.handle_query import (
    HandleIdQuery,
    HandleQuery,
    NameQuery,
    UnknownAddress,
    WordQuery,
    parse,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("twitter:@Alice", HandleQuery("twitter", "alice")),
        ("Twitter:alice", HandleQuery("twitter", "alice")),
        ("@alice@Mastodon.Social", HandleQuery("mastodon", "alice@mastodon.social")),
        ("https://x.com/Alice", HandleQuery("twitter", "alice")),
        ("https://twitter.com/alice/status/1", HandleQuery("twitter", "alice")),
        ("https://www.instagram.com/alice/", HandleQuery("instagram", "alice")),
        ("https://www.youtube.com/@alice", HandleQuery("youtube", "alice")),
        ("https://bsky.app/profile/alice.bsky.social", HandleQuery("bluesky", "alice.bsky.social")),
        ("https://www.linkedin.com/in/alice-martin", HandleQuery("linkedin", "alice-martin")),
        ("https://mastodon.social/@alice", HandleQuery("mastodon", "alice@mastodon.social")),
        ("@alice", HandleQuery(None, "alice")),
        ("twitter:#88", HandleIdQuery("twitter", "88")),
        ("tw/88", HandleIdQuery("twitter", "88")),
        ("IG/1234", HandleIdQuery("instagram", "1234")),
        ("demo_genuine", WordQuery("demo_genuine")),
        ("  Alice   Martin ", NameQuery("Alice Martin")),
        ("", None),
    ],
)
def test_understands_handles_profile_addresses_and_names(text, expected):
    assert parse(text) == expected


def test_refuses_an_address_that_names_no_handle_with_the_sites_it_knows():
    with pytest.raises(UnknownAddress, match=r"example.com/about is not a profile .*x\.com"):
        parse("https://example.com/about")
