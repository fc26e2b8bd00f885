"""/privacy/: what Sway reads, shows and keeps, and how to leave; linked from every page and
from sign-up."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_privacy_page_says_what_is_read_shown_kept_and_how_to_leave(client):
    response = client.get("/privacy/")

    body = response.content.decode()
    assert response.status_code == 200
    for heading in ("What Sway reads", "What Sway shows", "If you make an account", "Leaving"):
        assert f"<h2>{heading}</h2>" in body
    assert '<a href="/settings/opt-out/">Opt out</a>' in body
    assert '<a href="/contact/">contact us</a>' in body
    assert "csrf" not in body  # alike for every visitor, so it can be shared


def test_every_page_and_the_sign_up_form_lead_to_it(client):
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    signup = client.get("/accounts/signup/").content.decode()

    assert '<a href="/privacy/">Privacy</a>' in footer
    assert '<a href="/privacy/">privacy</a>' in signup


def test_it_answers_head_and_refuses_posts(client):
    assert client.head("/privacy/").status_code == 200
    assert client.post("/privacy/").status_code == 405
