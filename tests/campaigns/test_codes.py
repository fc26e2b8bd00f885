"""A campaign's code pool, uploaded as CSV: all the codes or, with a problem, none."""

import pytest

from campaigns.errors import CodePoolError
from campaigns.models import Code, Role
from campaigns.services.codes import codes_upload
from marketplace.errors import ApplicationError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def manager_of(brand, role=Role.MANAGER):
    user = UserFactory(password=None)
    brand.memberships.create(user=user, role=role)
    return user


def test_a_clean_file_fills_the_pool(brand, live_campaign):
    campaign = live_campaign(codes=0)

    added = codes_upload(
        actor=manager_of(brand), campaign=campaign, data=b"\xef\xbb\xbfcode\r\nA-1\r\n B-2 ,x\r\n"
    )

    assert added == 2
    assert sorted(Code.objects.values_list("code", flat=True)) == ["A-1", "B-2"]


def test_blanks_and_duplicates_are_named_by_line_and_nothing_is_added(brand, live_campaign):
    campaign = live_campaign(codes=0)
    Code.objects.create(campaign=campaign, code="OLD")
    data = "A\n\nB\nA\nOLD\n" + "X" * 201 + "\n"

    with pytest.raises(CodePoolError) as refused:
        codes_upload(actor=manager_of(brand), campaign=campaign, data=data.encode())

    assert refused.value.problems == [
        (2, "blank"),
        (4, "'A' repeats line 1"),
        (5, "'OLD' is in the pool already"),
        (6, "longer than 200 characters"),
    ]
    assert str(refused.value).startswith("No code was added. line 2: blank; line 4: 'A' repeats")
    assert list(Code.objects.values_list("code", flat=True)) == ["OLD"]


def test_codes_with_control_characters_are_named_by_line_and_nothing_is_added(brand, live_campaign):
    campaign = live_campaign(codes=0)

    with pytest.raises(CodePoolError) as refused:
        codes_upload(
            actor=manager_of(brand), campaign=campaign, data=b"A-1\nB\x00-2\nC\x1b-3\nD 4\n"
        )

    assert refused.value.problems == [
        (2, "'B\\x00-2' holds a control character"),
        (3, "'C\\x1b-3' holds a control character"),
    ]
    assert not Code.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"code\n", "The file holds no code."),
        (b"\xff\xfe", "The file is not UTF-8 text"),
        (b"x" * (5 * 2**20 + 1), "The file is over 5 MB."),
    ],
)
def test_files_that_are_not_code_lists_are_refused(brand, live_campaign, data, message):
    campaign = live_campaign(codes=0)

    with pytest.raises(ApplicationError, match=message):
        codes_upload(actor=manager_of(brand), campaign=campaign, data=data)

    assert not Code.objects.exists()


def test_only_the_brands_managers_and_owners_upload(brand, live_campaign):
    campaign = live_campaign(codes=0)
    other_brand_owner = UserFactory(password=None)

    for user in (manager_of(brand, Role.VIEWER), other_brand_owner):
        with pytest.raises(ApplicationError, match="You cannot do this for that brand"):
            codes_upload(actor=user, campaign=campaign, data=b"A\n")
    assert not Code.objects.exists()
