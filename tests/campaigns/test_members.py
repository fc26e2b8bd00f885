"""Owners invite members by e-mail; the invited join with the address the invitation went to;
a brand keeps at least one owner."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest

from campaigns.models import Invitation, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(brand):
    return brand.memberships.get().user


def invite(client, owner, email="sam@example.com", role="manager"):
    client.force_login(owner)
    return client.post("/brands/acme/invite/", {"email": email, "role": role}, follow=True)


def test_an_owner_invites_by_e_mail_and_the_invited_joins(
    client, owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = invite(client, owner, email="Sam@Example.com").content.decode()

    assert "Invitation sent to Sam@Example.com." in page
    assert "sam@example.com (manager, until" in page
    [message] = mailoutbox
    assert message.to == ["sam@example.com"]
    link = re.search(r"http://\S+/invitations/\S+/", message.body).group(0)
    sam = UserFactory(email="sam@example.com", password=None)
    client.force_login(sam)
    path = urlparse(link).path
    assert "Join Acme" in client.get(path).content.decode()
    joined = client.post(path, follow=True)

    assert joined.redirect_chain[-1][0] == "/brands/acme/"
    assert Membership.objects.get(user=sam).role == "manager"
    again = client.post(path).content.decode()
    assert "This invitation was accepted already." in again


def test_an_invitation_is_for_the_address_it_went_to_and_expires(
    client, owner, django_capture_on_commit_callbacks
):
    invite(client, owner)
    invitation = Invitation.objects.get()
    client.force_login(UserFactory(password=None))

    wrong = client.post(f"/invitations/{invitation.token}/").content.decode()
    Invitation.objects.update(created_at=invitation.created_at - timedelta(days=15))
    client.force_login(UserFactory(email="sam@example.com", password=None))
    late = client.post(f"/invitations/{invitation.token}/").content.decode()

    assert "The invitation is for sam@example.com: sign in with that address" in wrong
    assert "Acme invites sam@example.com to join it on Sway as manager." in wrong
    assert owner.email not in wrong  # the page is seen by whoever holds the link
    assert "This invitation is not valid any more" in late
    assert Membership.objects.count() == 1
    assert client.get("/invitations/nonsense/").status_code == 404


def test_only_owners_invite_and_remove_and_the_last_owner_stays(client, brand, owner):
    manager = UserFactory(password=None)
    membership = Membership.objects.create(brand=brand, user=manager, role="manager")

    assert invite(client, manager).status_code == 403
    assert not Invitation.objects.exists()
    assert client.post(f"/brands/acme/members/{membership.pk}/remove/").status_code == 403
    client.force_login(owner)
    own = brand.memberships.get(user=owner)
    refused = client.post(f"/brands/acme/members/{own.pk}/remove/", follow=True)
    assert "A brand keeps at least one owner." in refused.content.decode()
    client.post(f"/brands/acme/members/{membership.pk}/remove/")
    assert list(brand.memberships.values_list("user", flat=True)) == [owner.pk]
    assert "already" in invite(client, owner, email=owner.email).content.decode()


def test_inviting_the_same_address_again_renews_the_one_invitation(
    client, owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, owner, role="viewer")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, owner, role="manager")

    assert list(Invitation.objects.values_list("role", flat=True)) == ["manager"]
    assert len(mailoutbox) == 2


def test_a_brand_name_with_a_line_break_is_kept_on_one_line_and_its_invitation_sent(
    client, owner, brand, mailoutbox, django_capture_on_commit_callbacks
):
    from campaigns.services.brands import brand_update

    brand_update(actor=owner, brand=brand, name="Acme\r\nBcc: x@example.com\x0b")

    with django_capture_on_commit_callbacks(execute=True):
        page = invite(client, owner)

    assert page.status_code == 200
    brand.refresh_from_db()
    assert brand.name == "Acme Bcc: x@example.com"
    assert [m.subject for m in mailoutbox] == ["[Sway] Join Acme Bcc: x@example.com on Sway"]


@pytest.mark.parametrize(
    ("held", "invited", "kept"),
    [("viewer", "owner", "owner"), ("manager", "viewer", "manager"), ("owner", "manager", "owner")],
)
def test_a_member_who_accepts_an_invitation_keeps_the_higher_role(
    client, brand, owner, held, invited, kept
):
    sam = UserFactory(email="sam@example.com", password=None)
    membership = Membership.objects.create(brand=brand, user=sam, role=held)
    # sent before they joined some other way: an owner cannot invite a member
    invitation = Invitation.objects.create(
        brand=brand, email=sam.email, role=invited, invited_by=owner
    )
    client.force_login(sam)

    client.post(f"/invitations/{invitation.token}/")

    membership.refresh_from_db()
    assert membership.role == kept
