"""API keys are made by brand owners on their brand's page and by staff in the admin, shown
once, and revoked."""

import re

import pytest

from campaigns.models import Membership, Role
from marketplace.models import ApiKey
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def shown_key(response):
    return re.search(r"sway_[\w-]+", response.content.decode()).group(0)


def test_an_owner_makes_a_brand_key_sees_it_once_and_revokes_it(
    client, brand, django_capture_on_commit_callbacks
):
    owner = brand.memberships.get().user
    client.force_login(owner)

    made = client.post("/brands/acme/keys/", {"name": "Back office"})
    key = shown_key(made)
    page = client.get("/brands/acme/").content.decode()
    works = client.get("/api/v1/brands/acme/campaigns/", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert "Copy it now" in made.content.decode()
    assert key not in page
    assert f"{key[:12]}…" in page
    assert works.status_code == 200
    api_key = ApiKey.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # the key leaves the cache then
        client.post(f"/brands/acme/keys/{api_key.pk}/revoke/")
    client.logout()
    refused = client.get("/api/v1/brands/acme/campaigns/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert refused.status_code == 401


def test_only_the_brands_owners_make_and_revoke_its_keys(client, brand):
    manager = UserFactory(password=None)
    Membership.objects.create(brand=brand, user=manager, role=Role.MANAGER)
    client.force_login(brand.memberships.get(role=Role.OWNER).user)
    client.post("/brands/acme/keys/", {"name": "Ours"})
    api_key = ApiKey.objects.get()

    client.force_login(manager)
    assert client.post("/brands/acme/keys/", {"name": "Mine"}).status_code == 403
    assert client.post(f"/brands/acme/keys/{api_key.pk}/revoke/").status_code == 403
    client.force_login(UserFactory(password=None))
    assert client.post(f"/brands/acme/keys/{api_key.pk}/revoke/").status_code == 404
    assert ApiKey.objects.count() == 1
    assert ApiKey.objects.get().revoked_at is None


def test_staff_make_a_read_key_in_the_admin_and_revoke_it(
    client, brand, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, password=None))

    made = client.post(
        "/admin/marketplace/apikey/add/", {"name": "CRM", "scope": "read"}, follow=True
    )
    wrong = client.post(
        "/admin/marketplace/apikey/add/", {"name": "X", "scope": "brand-write"}, follow=True
    )

    key = shown_key(made)
    assert client.get(f"/v2/user.json/nobody?key={key}").status_code == 404  # the key works
    assert "A brand-write key names one brand; a read key none." in wrong.content.decode()
    api_key = ApiKey.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/marketplace/apikey/",
            {"action": "revoke", "_selected_action": [api_key.pk]},
        )
    assert client.get(f"/v2/user.json/nobody?key={key}").status_code == 403
