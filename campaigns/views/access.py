"""How a brand's pages find the brand and campaign they are about, through the user's
membership: another brand's pages and campaigns answer 404, as if they did not exist, and a
role too low for the page 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from campaigns.errors import NotActingForBrand, RoleTooLow
from campaigns.models import Brand, Campaign, Role
from campaigns.selectors.brands import campaign_of
from campaigns.selectors.roles import brand_require
from marketplace.http import AuthenticatedHttpRequest


def brand_membership(
    request: AuthenticatedHttpRequest, slug: str, at_least: Role = Role.VIEWER
) -> tuple[Brand, Role]:
    """The brand of that slug and the user's role in it, if it allows what `at_least` does."""
    try:
        return brand_require(actor=request.user, slug=slug, at_least=at_least)
    except NotActingForBrand as refused:
        raise Http404("No such brand") from refused
    except RoleTooLow as refused:
        raise PermissionDenied("Your role in this brand does not allow this.") from refused


def member_brand(
    request: AuthenticatedHttpRequest, slug: str, at_least: Role = Role.VIEWER
) -> Brand:
    return brand_membership(request, slug, at_least)[0]


def brand_campaign(brand: Brand, pk: int) -> Campaign:
    campaign = campaign_of(brand=brand, pk=pk)
    if campaign is None:
        raise Http404("No such campaign")
    return campaign
