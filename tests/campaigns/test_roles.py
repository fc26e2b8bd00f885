"""A brand's roles are ordered: an owner may do all a manager may, a manager all a viewer may."""

import pytest

from campaigns.models import Role

ALLOWS = {
    Role.OWNER: {Role.OWNER, Role.MANAGER, Role.VIEWER},
    Role.MANAGER: {Role.MANAGER, Role.VIEWER},
    Role.VIEWER: {Role.VIEWER},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_includes_itself_and_the_roles_below_it(role):
    assert {other for other in Role if role.includes(other)} == ALLOWS[role]
