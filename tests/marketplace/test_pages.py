import pytest
from django.test import RequestFactory

from marketplace import pages

pytestmark = pytest.mark.django_db


def test_home_invites_visitors_to_sign_up(client):
    response = client.get("/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Influence, openly measured" in body
    assert 'href="/accounts/signup/"' in body
    assert "csrf" not in body  # anonymous pages are alike for everyone (marketplace.shared_pages)
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in body
    assert 'href="/static/css/site.css"' in body


def test_home_greets_a_signed_in_user(client, user):
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 200
    assert "<h1>Welcome to Sway</h1>" in response.content.decode()  # more: test_home.py
    assert 'hx-headers=\'{"x-csrftoken": "' in response.content.decode()


def test_pages_carry_a_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert 'href="/"' in body


def test_server_error_page_renders_without_touching_the_request():
    response = pages.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/healthz", "/search/", "/topics/", "/about/score/"])
def test_every_page_answers_head_as_monitors_ask(client, path):
    assert client.head(path).status_code == 200


def test_a_profile_and_its_badge_answer_head(client, world):
    from tests.scoring.worlds import alice

    person = alice()

    assert client.head(f"/p/{person.public_id}/").status_code == 200
    assert client.head(f"/badge/{person.public_id}.svg").status_code == 200


def test_the_favicon_is_where_browsers_look_and_the_admin_is_sways(client, admin_client):
    icon = client.get("/favicon.ico")

    assert (icon.status_code, icon["Location"]) == (301, "/static/favicon.svg")
    assert "Sway administration" in admin_client.get("/admin/").content.decode()
