import factory
from allauth.account.models import EmailAddress

from marketplace.models import User

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
