"""A campaign written through the builder as a brand writes it: each step posted in turn,
with the other steps' fields carried as the page carries them (hidden)."""

from campaigns.models import Campaign

STEPS = ("audience", "claiming")


def campaign_built(client, slug, form, files=None):
    """Posts the builder's three steps and returns the draft; each must lead to the next."""
    made = client.post(f"/brands/{slug}/new/", {**form, **(files or {})})
    assert made.status_code == 302, made.content.decode()
    campaign = Campaign.objects.latest("pk")
    assert made.url == f"/brands/{slug}/{campaign.pk}/edit/audience/"
    for step, after in zip(STEPS, ("claiming", "review"), strict=True):
        saved = client.post(f"/brands/{slug}/{campaign.pk}/edit/{step}/", form)
        assert saved.url == f"/brands/{slug}/{campaign.pk}/edit/{after}/", saved
    campaign.refresh_from_db()
    return campaign
