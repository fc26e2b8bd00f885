"""A profile offers its badge: the code to show it on another site, and link previews that
carry the score, with a PNG of the badge for the previews that do not draw SVG."""

import io
import math
from html.parser import HTMLParser

import pytest
from PIL import Image

from scoring.models import Person
from tests.scoring.worlds import alice

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>'


class Shared(HTMLParser):
    """What a page offers for sharing: its meta tags and the text of its text areas."""

    def __init__(self, page):
        super().__init__()
        self.meta, self.code, self._field = {}, {}, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "meta" and ("property" in found or "name" in found):
            self.meta[found.get("property") or found["name"]] = found["content"]
        elif tag == "textarea":
            self._field = found["id"]
            self.code[self._field] = ""

    def handle_endtag(self, tag):
        self._field = None

    def handle_data(self, data):
        if self._field:
            self.code[self._field] += data


def named(name):
    person = alice()
    Person.objects.filter(pk=person.pk).update(display_name=name)
    return person


def test_the_profile_offers_its_badge_as_html_and_markdown_at_absolute_addresses(client, world):
    person = named(HOSTILE)
    score = f"{person.score:.0f}"
    page = f"http://testserver/p/{person.public_id}/"
    svg = f"http://testserver/badge/{person.public_id}.svg"

    body = client.get(f"/p/{person.public_id}/").content.decode()

    shared = Shared(body)
    assert shared.code == {
        "badge-1": f'<a href="{page}"><img src="{svg}" alt="&quot;&gt;&lt;script&gt;alert(1)'
        f'&lt;/script&gt;: Sway score {score}" width="220" height="28"></a>',
        "badge-2": rf'[!["\>\<script\>alert(1)\</script\>: Sway score {score}]({svg})]({page})',
    }
    pasted = Shared(shared.code["badge-1"] + f"<meta name=alt content='{HOSTILE}'>")
    assert pasted.meta == {"alt": HOSTILE}
    assert "<script>alert" not in body
    assert 'data-copy="badge-1" hidden>Copy<' in body


def test_link_previews_carry_the_score_and_top_topics_escaped(client, world):
    person = named(HOSTILE)

    body = client.get(f"/p/{person.public_id}/").content.decode()

    summary = (
        f"Sway score {person.score:.0f} (Established), higher than "
        f"{math.floor(person.percentile)} % of people. Influential about Programming and Python."
    )
    title = f"{HOSTILE}: Sway score {person.score:.0f}"
    preview = f"http://testserver/badge/{person.public_id}.png"
    assert (
        Shared(body).meta.items()
        >= {
            "description": summary,
            "og:site_name": "Sway",
            "og:type": "profile",
            "og:title": title,
            "og:description": summary,
            "og:url": f"http://testserver/p/{person.public_id}/",
            "og:image": preview,
            "og:image:type": "image/png",
            "og:image:width": "400",
            "og:image:height": "400",
            "og:image:alt": title,
            "twitter:card": "summary",
            "twitter:title": title,
            "twitter:description": summary,
            "twitter:image": preview,
        }.items()
    )
    assert "<script>alert" not in body


def test_someone_not_scored_yet_offers_no_badge_and_no_preview(client, db):
    person = Person.objects.create(display_name="Newcomer")

    body = client.get(f"/p/{person.public_id}/").content.decode()

    assert "og:image" not in body
    assert "badge-1" not in body


def test_a_shared_page_names_the_host_it_was_asked_at(client, world, settings):
    settings.ALLOWED_HOSTS = ["testserver", "sway.example"]
    path = f"/p/{alice().public_id}/"

    first = client.get(path).content.decode()
    other = client.get(path, headers={"host": "sway.example"}).content.decode()

    assert f'content="http://testserver{path}"' in first
    assert f'content="http://sway.example{path}"' in other
    assert "testserver" not in other


def test_the_png_badge_is_a_cacheable_square_picture(client, world):
    person = alice()

    response = client.get(f"/badge/{person.public_id}.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"
    with Image.open(io.BytesIO(response.content)) as picture:
        assert (picture.format, picture.size) == ("PNG", (400, 400))
    again = client.get(response.request["PATH_INFO"], headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert client.head(f"/badge/{person.public_id}.png").status_code == 200


@pytest.mark.parametrize(
    "name", [HOSTILE, "Ann\x0bLee\x01\u2028", "📈 Ann Lee 漢字 عربي", "W" * 200, " "]
)
def test_the_png_badge_draws_any_name(client, world, name):
    person = named(name)

    response = client.get(f"/badge/{person.public_id}.png")

    assert response.status_code == 200
    with Image.open(io.BytesIO(response.content)) as picture:
        assert picture.size == (400, 400)


@pytest.mark.parametrize("public_id", ["%00", "%1b%5b31m", "9" * 5000, "..", "%ff%fe", "%F0%9F"])
def test_an_unknown_or_hostile_badge_address_is_a_clear_4xx(client, db, public_id):
    assert client.get(f"/badge/{public_id}.png").status_code in {400, 404}
