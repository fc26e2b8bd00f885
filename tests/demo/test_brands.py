"""make run's demo: two brands with live campaigns, a brand owner and a person who qualifies."""

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Eligibility
from demo.brands import MEMBER
from marketplace.models import Notification
from scoring.models import Handle, Person, PersonTopic, Verification

pytestmark = pytest.mark.django_db


def test_the_demo_brands_run_live_campaigns_the_demo_member_is_offered(settings, capsys, client):
    call_command("seed_demo", people=1500, days=30, seed=5)
    call_command("compute_scores")
    settings.DEBUG = True
    capsys.readouterr()

    call_command("seed_demo_campaigns")
    first = capsys.readouterr().out
    call_command("seed_demo_campaigns")
    again = capsys.readouterr().out

    assert first.startswith("Two demo brands with live campaigns are ready.")
    assert again.startswith("The demo brands are ready.")
    password = again.split("(password ")[1].split(")")[0]
    assert list(Campaign.objects.values_list("status", flat=True)) == ["active", "active"]
    assert Eligibility.objects.filter(person__owner__email=MEMBER).count() == 2
    assert Notification.objects.filter(user__email=MEMBER, kind="perk_offer").exists()
    assert client.login(email=MEMBER, password=password)
    mine = Handle.objects.filter(person__owner__email=MEMBER)
    assert mine.exists()
    assert set(mine.values_list("verification", flat=True)) == {Verification.VERIFIED}
    genuine = Person.objects.get(handles__username="demo_genuine")
    assert genuine.owner is None  # the showcase stays unclaimed, and shows its topics
    assert PersonTopic.objects.filter(person=genuine).exists()
    key = again.split("read key for the API (/api/docs/): ")[1].strip()
    assert (
        client.get(f"/v2/identity.json/twitter?screenName=demo_genuine&key={key}").json()["network"]
        == "ks"
    )
    old = first.split("read key for the API (/api/docs/): ")[1].strip()
    assert (
        client.get(f"/v2/identity.json/twitter?screenName=demo_genuine&key={old}").status_code
        == 403
    )


def test_demo_accounts_are_for_local_development_only(settings):
    settings.DEBUG = False

    with pytest.raises(Exception, match="set DJANGO_DEBUG=true"):
        call_command("seed_demo_campaigns")
