"""Brands and who acts for them."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from campaigns.errors import CampaignError
from campaigns.models import Brand, Membership, Role
from campaigns.selectors import ROLE_RANK, role_of
from marketplace.models import User


@transaction.atomic
def brand_create(
    *, user: User, name: str, website: str = "", handle: str = "", slug: str = ""
) -> Brand:
    """A new brand, owned by the user who made it; unverified until staff check it."""
    brand = Brand(
        name=name.strip(), website=website, handle=handle.strip(), slug=slug or slugify(name)
    )
    brand.full_clean()
    brand.save()
    Membership.objects.create(brand=brand, user=user, role=Role.OWNER)
    return brand


@transaction.atomic
def brand_verify(*, brand: Brand) -> None:
    Brand.objects.filter(pk=brand.pk, verified_at=None).update(verified_at=timezone.now())


def require_role(*, user: User, brand_id: int, at_least: Role) -> Role:
    """The user's role in the brand, if it allows what `at_least` allows; refused otherwise
    (in the same words whether the brand exists or not, so ids cannot be probed)."""
    role = role_of(user=user, brand_id=brand_id)
    if role is None or ROLE_RANK[role] < ROLE_RANK[at_least]:
        raise CampaignError("You cannot do this for that brand.")
    return role
