"""/contact/: how to reach Sway, at the address settings.CONTACT_EMAIL names."""

import runpy

import pytest

pytestmark = pytest.mark.django_db


def test_contact_page_gives_the_address_and_what_to_write_about(client, settings):
    settings.CONTACT_EMAIL = "help@sway.example"

    response = client.get("/contact/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<a href="mailto:help@sway.example">help@sway.example</a>' in body
    for topic in ("Your account", "Opting out", "Perks", "Brands, partners and press"):
        assert f">{topic}</h3>" in body
    assert "csrf" not in body  # alike for every visitor, so it can be shared


def test_every_page_footer_leads_to_the_contact_page(client):
    body = client.get("/").content.decode()

    assert '<a href="/contact/">Contact</a>' in body[body.index('<footer class="site-footer">') :]


def test_contact_page_answers_head_and_refuses_posts(client):
    assert client.head("/contact/").status_code == 200
    assert client.post("/contact/").status_code == 405


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/contact/?q=%00", 400),
        ("/contact/%00/", 400),
        ("/contact/?q=%01%1B%7F", 200),  # the page reads no query
        (f"/contact/?page={10**400}", 200),
        ("/contact/" + "x" * 5000 + "/", 404),
    ],
)
def test_contact_page_answers_hostile_addresses_with_no_500(client, address, status):
    assert client.get(address).status_code == status


def test_the_contact_address_is_the_senders_unless_set(monkeypatch, settings):
    module = str(settings.BASE_DIR / "marketplace" / "settings.py")
    monkeypatch.setenv("DJANGO_DEFAULT_FROM_EMAIL", "Sway Team <team@sway.example>")
    derived = runpy.run_path(module)["CONTACT_EMAIL"]
    monkeypatch.setenv("SWAY_CONTACT_EMAIL", "help@sway.example")
    chosen = runpy.run_path(module)["CONTACT_EMAIL"]

    assert (derived, chosen) == ("team@sway.example", "help@sway.example")
