"""Brands, and the members who act for them: invited, joining, removed."""

from typing import Literal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.lock_objects import brand_lock, invitation_lock, membership_and_owners_lock
from campaigns.models import Brand, Invitation, Membership, Role
from campaigns.selectors.roles import role_require
from marketplace.errors import ApplicationError
from marketplace.models import User
from marketplace.pictures import picture_assign
from marketplace.queueing import queue_on_commit
from marketplace.slugs import free_slug
from marketplace.text import single_line


@transaction.atomic
def brand_create(
    *,
    user: User,
    name: str,
    website: str = "",
    handle: str = "",
    slug: str = "",
    logo: ContentFile | Literal[False] | None = None,
) -> Brand:
    """A new brand, owned by the user who made it; unverified until staff check it."""
    slug = slug or free_slug(Brand.objects.all(), name, fallback="brand")
    brand = Brand(name=single_line(name), website=website, handle=handle.strip(), slug=slug)
    _save(brand, logo)
    Membership.objects.create(brand=brand, user=user, role=Role.OWNER)
    return brand


@transaction.atomic
def brand_update(
    *,
    actor: User,
    brand: Brand,
    name: str,
    website: str = "",
    handle: str = "",
    logo: ContentFile | Literal[False] | None = None,
) -> Brand:
    """New details for the brand, by one of its owners; its slug (its pages' address) stays.
    A new name, website, handle or logo is for staff to verify again."""
    role_require(actor=actor, brand_id=brand.pk, at_least=Role.OWNER)
    brand = brand_lock(brand.pk)
    before = (brand.name, brand.website, brand.handle)
    brand.name, brand.website, brand.handle = single_line(name), website, handle.strip()
    if before != (brand.name, brand.website, brand.handle) or logo is not None:
        brand.verified_at = None
    _save(brand, logo)
    return brand


def _save(brand: Brand, logo: ContentFile | Literal[False] | None) -> None:
    try:
        brand.full_clean()
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error
    picture_assign(brand, "logo", logo)
    brand.save()


@transaction.atomic
def brand_verify(*, brand: Brand) -> None:
    Brand.objects.filter(pk=brand.pk, verified_at=None).update(verified_at=timezone.now())


@transaction.atomic
def invitation_send(*, user: User, brand: Brand, email: str, role: Role) -> Invitation:
    """An owner invites someone by e-mail; the e-mail goes once the invitation is saved."""
    role_require(actor=user, brand_id=brand.pk, at_least=Role.OWNER)
    email = email.strip().lower()
    if brand.memberships.filter(user__email__iexact=email).exists():
        raise ApplicationError(f"{email} is a member of {brand} already.")
    pending = brand.invitations.filter(
        email=email, accepted_at=None, created_at__gt=timezone.now() - Invitation.LIFETIME
    ).first()
    if pending is None:
        invitation = Invitation(brand=brand, email=email)
    else:  # asked again: the same invitation, in the new role, for another fortnight
        invitation = pending
        invitation.created_at = timezone.now()
    invitation.role, invitation.invited_by = role, user
    invitation.save()
    queue_on_commit("campaigns.tasks.invitation_email_task", invitation.pk)
    return invitation


def invitation_email(*, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("brand", "invited_by").get(pk=invitation_id)
    link = settings.SITE_URL + reverse("campaigns:invitation", args=[invitation.token])
    send_mail(
        subject=single_line(f"[Sway] Join {invitation.brand} on Sway"),
        message=f"{invitation.invited_by.email} invites you to join {invitation.brand} on Sway "
        f"as {invitation.get_role_display().lower()}.\n\nAccept by "
        f"{invitation.expires_at:%-d %B %Y}, signed in with this address:\n{link}\n\n— Sway",
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Membership:
    """The invited person joins the brand, signed in with the address the invitation went
    to (verified); a member already keeps the higher of their role and the invited one."""
    invitation = invitation_lock(token)
    if invitation is None or invitation.expires_at <= timezone.now():
        raise ApplicationError("This invitation is not valid any more: ask for a new one.")
    if invitation.accepted_at is not None:
        raise ApplicationError("This invitation was accepted already.")
    verified = EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True)
    if not verified.exists():
        raise ApplicationError(
            f"The invitation is for {invitation.email}: sign in with that address (verified)."
        )
    membership, created = Membership.objects.get_or_create(
        brand=invitation.brand, user=user, defaults={"role": invitation.role}
    )
    if not created and not Role(membership.role).includes(Role(invitation.role)):
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


@transaction.atomic
def member_remove(*, user: User, membership_id: int) -> None:
    """An owner removes a member (themselves too), never the brand's last owner."""
    membership, owners = membership_and_owners_lock(membership_id)
    if membership is None:
        raise ApplicationError("No such member.")
    role_require(actor=user, brand_id=membership.brand_id, at_least=Role.OWNER)
    if membership.role == Role.OWNER and len(owners) == 1:
        raise ApplicationError("A brand keeps at least one owner.")
    membership.delete()
