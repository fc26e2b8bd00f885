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
    assert f"Welcome back, {user.email}" in response.content.decode()
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
