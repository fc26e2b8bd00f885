"""Who acts for a brand and in which role: its members in their own, its brand-write API key
as a manager. The services, the brand's pages and the API all ask here whether an actor may
do something for a brand; the pages and the API answer a refusal with their own 404 or 403."""

from campaigns.errors import NotActingForBrand, RoleTooLow
from campaigns.models import Brand, Membership, Role
from marketplace.models import ApiKey, ApiScope, User

Actor = User | ApiKey


def role_require(*, actor: Actor, brand_id: int, at_least: Role) -> Role:
    """The actor's role in the brand, if it allows what `at_least` allows; BrandRefused
    otherwise."""
    if isinstance(actor, ApiKey):
        role = _key_role(actor, brand_id)
    else:
        memberships = Membership.objects.filter(user=actor, brand_id=brand_id)
        stored = memberships.values_list("role", flat=True).first()
        role = Role(stored) if stored else None
    return _allowing(role, at_least)


def brand_require(*, actor: Actor, slug: str, at_least: Role = Role.VIEWER) -> tuple[Brand, Role]:
    """The brand of that slug and the actor's role in it, if it allows what `at_least`
    allows, in one query; BrandRefused otherwise."""
    if isinstance(actor, ApiKey):
        brand = Brand.objects.filter(slug=slug).first()
        if brand is None:
            raise NotActingForBrand
        return brand, _allowing(_key_role(actor, brand.pk), at_least)
    memberships = Membership.objects.filter(user=actor, brand__slug=slug).select_related("brand")
    membership = memberships.first()
    if membership is None:
        raise NotActingForBrand
    return membership.brand, _allowing(Role(membership.role), at_least)


def sees_addresses(role: Role) -> bool:
    """Claimants' shipping addresses are for the people who ship: owners and managers."""
    return role.includes(Role.MANAGER)


def _key_role(key: ApiKey, brand_id: int) -> Role | None:
    acts = key.scope == ApiScope.BRAND_WRITE and key.brand_id == brand_id
    return Role.MANAGER if acts else None


def _allowing(role: Role | None, at_least: Role) -> Role:
    if role is None:
        raise NotActingForBrand
    if not role.includes(at_least):
        raise RoleTooLow
    return role
