"""What a search box query names: a handle (on one network or any), a profile URL, or a name.

    twitter:@alice  twitter:alice         → twitter, alice
    twitter:#88  tw/88                    → twitter, the handle whose network id is 88
    @alice@mastodon.social                → mastodon, alice@mastodon.social
    https://x.com/alice                   → twitter, alice
    https://mastodon.social/@alice        → mastodon, alice@mastodon.social
    @alice                                → any network, alice
    alice                                 → a username on any network, or part of a name
    Alice Martin                          → a name

Any other URL is refused with a message naming the sites whose addresses are understood.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scoring.models import Network, username_key


@dataclass(frozen=True)
class HandleQuery:
    network: str | None  # None: any network
    username: str  # compared case-folded, without the leading @


@dataclass(frozen=True)
class HandleIdQuery:
    network: str
    external_id: str  # the network's own id, as the site shows it: twitter:#88


@dataclass(frozen=True)
class WordQuery:
    """One word: a username on any network (exactly, then by its start), or part of a name."""

    word: str


@dataclass(frozen=True)
class NameQuery:
    text: str


Query = HandleQuery | HandleIdQuery | WordQuery | NameQuery


class UnknownAddress(ValueError):
    pass


_HOSTS = {  # host → network, for profile URLs whose first path part is the username
    "twitter.com": Network.TWITTER,
    "x.com": Network.TWITTER,
    "instagram.com": Network.INSTAGRAM,
    "facebook.com": Network.FACEBOOK,
    "youtube.com": Network.YOUTUBE,
}
_PATH_PREFIXES = {  # host → (network, path prefix before the username)
    "bsky.app": (Network.BLUESKY, "profile/"),
    "linkedin.com": (Network.LINKEDIN, "in/"),
}
_FEDIVERSE = re.compile(r"^@?(?P<user>[\w.-]+)@(?P<host>[\w-]+(\.[\w-]+)+)$")
_ON_NETWORK = re.compile(rf"^(?P<network>{'|'.join(Network.values)}):@?(?P<user>\S+)$", re.I)
_ON_NETWORK_ID = re.compile(rf"^(?P<network>{'|'.join(Network.values)}):#(?P<id>\S+)$", re.I)
_KLOUT_NETWORKS = {  # Klout's two-letter network codes, as in its profile addresses: tw/88
    "tw": Network.TWITTER,
    "ig": Network.INSTAGRAM,
    "fb": Network.FACEBOOK,
    "li": Network.LINKEDIN,
    "yt": Network.YOUTUBE,
}
_KLOUT_ID = re.compile(rf"^(?P<network>{'|'.join(_KLOUT_NETWORKS)})/(?P<id>[^/\s]+)$", re.I)


def parse(text: str) -> Query | None:
    """What `text` asks for; None for an empty query. Raises UnknownAddress for a URL that
    names no handle."""
    text = " ".join(text.split())
    if not text:
        return None
    if match := _ON_NETWORK_ID.match(text):
        return HandleIdQuery(match["network"].lower(), match["id"])
    if match := _KLOUT_ID.match(text):
        return HandleIdQuery(_KLOUT_NETWORKS[match["network"].lower()], match["id"])
    if match := _ON_NETWORK.match(text):
        return HandleQuery(match["network"].lower(), username_key(match["user"]))
    if match := _FEDIVERSE.match(text):
        return HandleQuery(Network.MASTODON, f"{match['user']}@{match['host']}".casefold())
    if text.startswith(("http://", "https://")):
        return _from_url(text)
    if text.startswith("@") and " " not in text:
        return HandleQuery(None, username_key(text))
    if " " not in text:
        return WordQuery(text)
    return NameQuery(text)


def _from_url(url: str) -> Query:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/")
    first = path.split("/", 1)[0]
    if host in _HOSTS and first:
        return HandleQuery(_HOSTS[host], username_key(first))
    if host in _PATH_PREFIXES:
        network, prefix = _PATH_PREFIXES[host]
        if path.startswith(prefix) and path != prefix.rstrip("/"):
            return HandleQuery(network, username_key(path.removeprefix(prefix).split("/")[0]))
    if first.startswith("@") and "/" not in path:  # a Mastodon profile: https://host/@user
        return HandleQuery(Network.MASTODON, f"{first[1:]}@{host}".casefold())
    sites = ", ".join(sorted({*_HOSTS, *_PATH_PREFIXES}))
    raise UnknownAddress(
        f"{url} is not a profile address Sway understands: try one on {sites} or a Mastodon "
        "server, or search by name."
    )
