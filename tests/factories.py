from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress

from marketplace.models import User
from scoring.models import ModelBacktest

PASSWORD = "correct horse battery staple"


class EmailAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailAddress

    verified = True
    primary = True


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user whose e-mail address is verified, with the password PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.django.Password(PASSWORD)
    email_address = factory.RelatedFactory(
        EmailAddressFactory, factory_related_name="user", email=factory.SelfAttribute("..email")
    )


class ModelBacktestFactory(factory.django.DjangoModelFactory):
    """A week's kept backtest of v1 (scoring.services.backtests), with figures like the demo
    world's."""

    class Meta:
        model = ModelBacktest

    measured_on = date(2026, 11, 29)
    model_version = "v1"
    cut_day = factory.LazyAttribute(lambda o: o.measured_on - timedelta(days=30))
    horizon_days = 30
    candidates = 2917
    spearman = 0.259
    top_precision = 0.483
    baselines = factory.LazyFunction(
        lambda: [
            {"name": "distinct_engagers", "spearman": 0.336, "top_precision": 0.586},
            {"name": "engagement_count", "spearman": 0.501, "top_precision": 0.483},
            {"name": "pagerank", "spearman": 0.217, "top_precision": 0.379},
        ]
    )
