"""A brand's logo and a campaign's image: uploaded through the brand's forms, re-encoded
(shrunk, turned as the camera was held, stripped of metadata), served for good, replaced
and removed; what is not a picture is refused and changes nothing."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaigns.forms import CampaignForm
from campaigns.models import Brand, Campaign, Role
from campaigns.services.setup import campaign_save
from tests.campaigns.test_brand_pages import FORM, member, messages_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ORIENTATION, GPS = 0x0112, 0x8825


def photo(size=(3000, 2000), kind="JPEG", name="photo.jpg", rotated=False, **options):
    """A picture as a camera or an editor writes it; a JPEG carries a GPS position."""
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1]))  # left half blue
    data = io.BytesIO()
    if kind == "JPEG":
        exif = Image.Exif()
        exif[ORIENTATION] = 6 if rotated else 1  # 6: held turned 90° clockwise
        exif[GPS] = {1: "N", 2: (48.0, 51.0, 24.0)}
        options["exif"] = exif
    image.save(data, kind, **options)
    return SimpleUploadedFile(name, data.getvalue(), content_type=f"image/{kind.lower()}")


def stored(field):
    with field.open("rb") as file, Image.open(file) as image:
        image.load()
        return image


def test_a_brand_logo_is_shrunk_stripped_and_served_for_good(client, media):
    client.force_login(UserFactory(password=None))

    client.post("/brands/", {"name": "Volt", "logo": photo()})

    logo = Brand.objects.get().logo
    image = stored(logo)
    assert re.fullmatch(r"brands/[0-9a-f]{20}\.webp", logo.name)
    assert (image.format, image.size) == ("WEBP", (256, 171))
    assert not image.getexif()
    page = client.get("/brands/volt/").content.decode()
    assert f'src="{logo.url}"' in page
    served = client.get(logo.url)
    assert (served.status_code, served["Content-Type"]) == (200, "image/webp")
    assert served["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(served.streaming_content) == (media / logo.name).read_bytes()


def test_a_photo_is_turned_as_the_camera_was_held(client):
    client.force_login(UserFactory(password=None))

    client.post("/brands/", {"name": "Volt", "logo": photo(size=(300, 200), rotated=True)})

    image = stored(Brand.objects.get().logo)
    assert image.size == (171, 256)  # upright, then shrunk
    top_left, bottom_left = image.getpixel((5, 5)), image.getpixel((5, 250))
    assert top_left[2] > 150 > bottom_left[2]  # the blue half, now on top


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (
            SimpleUploadedFile("logo.png", b"<html>not a picture</html>"),
            "not a JPEG, PNG, GIF or WebP picture we can read",
        ),
        (SimpleUploadedFile("logo.png", b"\0" * (5 * 2**20 + 1)), "larger than 5 MB"),
        (photo(size=(6000, 4000), kind="PNG", name="huge.png"), "20 megapixels at most"),
    ],
)
def test_what_is_not_a_picture_we_take_is_refused_and_nothing_is_made(client, media, upload, error):
    client.force_login(UserFactory(password=None))

    response = client.post("/brands/", {"name": "Volt", "logo": upload})

    assert error in response.content.decode()
    assert not Brand.objects.exists()
    assert not any(media.rglob("*.*"))


def test_an_owner_replaces_then_removes_the_logo_and_the_old_files_go(
    client, brand, media, django_capture_on_commit_callbacks
):
    client.force_login(brand.memberships.get().user)
    details = {"name": "Acme Corp", "website": "", "handle": "@acme"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/brands/acme/details/", {**details, "logo": photo()})
    first = Brand.objects.get().logo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/brands/acme/details/", {**details, "logo": photo(kind="PNG")})
    second = Brand.objects.get().logo.name
    assert (media / second).exists()
    assert not (media / first).exists()

    form = client.get("/brands/acme/details/").content.decode()
    assert f'<img src="{Brand.objects.get().logo.url}" alt="The current one"' in form
    assert '<label for="logo-clear_id">Remove it</label>' in form
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/brands/acme/details/", {**details, "logo-clear": "on"})

    brand.refresh_from_db()
    assert (brand.name, brand.handle, brand.slug, brand.logo.name) == ("Acme Corp", "@acme",
                                                                        "acme", "")  # fmt: skip
    assert not any(media.rglob("*.*"))


def test_only_the_brands_owners_change_its_details(client, brand):
    client.force_login(member(brand, Role.MANAGER))
    assert client.post("/brands/acme/details/", {"name": "Mine"}).status_code == 403
    client.force_login(UserFactory(password=None))
    assert client.get("/brands/acme/details/").status_code == 404
    assert Brand.objects.get().name == "Acme"


def test_a_campaign_image_shows_on_its_perk_page_and_stays_when_the_draft_is_edited(
    client, brand, media, django_capture_on_commit_callbacks
):
    client.force_login(member(brand, Role.MANAGER))

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/brands/acme/new/", {**FORM, "image": photo(size=(2400, 1260))})
        campaign = Campaign.objects.get()
        client.post(f"/brands/acme/{campaign.pk}/edit/", {**FORM, "title": "Volt for a week"})

    campaign.refresh_from_db()
    assert campaign.title == "Volt for a week"
    assert stored(campaign.image).size == (1200, 630)
    assert [p.name for p in media.rglob("*.webp")] == [campaign.image.name.split("/")[1]]
    Campaign.objects.filter(pk=campaign.pk).update(status="active")
    page = client.get(f"/perks/{campaign.pk}/").content.decode()
    assert f'<img class="banner" src="{campaign.image.url}" alt="">' in page


def test_a_save_from_a_page_read_before_a_new_image_keeps_the_new_image(
    client, brand, media, django_capture_on_commit_callbacks
):
    """An API update of the text, read before a manager's new image was saved, keeps it."""
    manager = member(brand, Role.MANAGER)
    client.force_login(manager)
    client.post("/brands/acme/new/", {**FORM, "image": photo()})
    read_before = Campaign.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/brands/acme/{read_before.pk}/edit/", {**FORM, "image": photo(kind="PNG")})
        form = CampaignForm({**FORM, "title": "Renamed"})  # no image: keep it
        assert form.is_valid()
        campaign_save(actor=manager, brand=brand, draft=form.draft(), campaign=read_before)

    campaign = Campaign.objects.get()
    assert campaign.title == "Renamed"
    assert campaign.image.name != read_before.image.name
    assert (media / campaign.image.name).exists()


def test_the_same_picture_again_restores_a_lost_file(
    client, brand, media, django_capture_on_commit_callbacks
):
    client.force_login(brand.memberships.get().user)
    details = {"name": "Acme", "website": "", "handle": ""}
    client.post("/brands/acme/details/", {**details, "logo": photo()})
    lost = Brand.objects.get().logo.name
    (media / lost).unlink()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/brands/acme/details/", {**details, "logo": photo()})

    assert Brand.objects.get().logo.name == lost
    assert (media / lost).exists()


def test_a_verified_brand_that_changes_who_it_is_is_verified_again(client, brand):
    Brand.objects.filter(pk=brand.pk).update(verified_at=timezone.now())
    client.force_login(brand.memberships.get().user)

    response = client.post("/brands/acme/details/", {"name": "Nike", "website": "", "handle": ""})

    assert Brand.objects.get().verified_at is None
    assert messages_of(client.get(response.url)) == [
        "The brand's details are saved. Staff will verify the brand again."
    ]


@pytest.mark.parametrize("name", ["brands/x.png", "brands/page.html", f"brands/{'a' * 20}.webp"])
def test_only_pictures_we_wrote_are_served(client, media, name):
    (media / "brands").mkdir(exist_ok=True)
    if not name.endswith(".webp"):
        (media / name).write_text("<script>alert(1)</script>")

    assert client.get(f"/media/{name}").status_code == 404
    assert client.get("/media/../marketplace/settings.py").status_code == 404
