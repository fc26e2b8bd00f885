from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class BaseModel(models.Model):
    """Every domain table records when its rows were created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A site account. People sign in with their e-mail address; there is no username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)

    email_perk_offers = models.BooleanField(
        "e-mail me perk offers", default=True, help_text="Perks you qualify for, when they open."
    )
    email_weekly_summary = models.BooleanField(
        "e-mail me a weekly score summary", default=True, help_text="Your score and why it moved."
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.email


class WorkerHeartbeat(models.Model):
    """The last time a Celery process (a worker, or beat through a worker) ran a task."""

    source = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.source} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class NotificationKind(models.TextChoices):
    ACCOUNT = "account", "About your account"  # always e-mailed: it may be a security matter
    PERK_OFFER = "perk_offer", "Perk offer"
    PERK_CLAIM = "perk_claim", "Perk claimed"  # always e-mailed: it may carry the code
    WEEKLY_SUMMARY = "weekly_summary", "Weekly score summary"
    MODERATION = "moderation", "Moderation done"  # staff's, in the inbox only


class Notification(BaseModel):
    """A message to a user: in their inbox at once, and e-mailed if their preferences say so."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True, help_text="A page of this site, if any.")
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    emailing_since = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took it to e-mail, until it is e-mailed."
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes: ClassVar = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["user"], condition=models.Q(read_at=None), name="notification_unread"
            ),
            # The sweep's: notifications not e-mailed yet, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at=None),
                name="notification_unsent",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def wants_email(self) -> bool:
        """The user's preferences for this kind; `wanting_email` says the same in a query."""
        if self.kind == NotificationKind.PERK_OFFER:
            return self.user.email_perk_offers
        if self.kind == NotificationKind.WEEKLY_SUMMARY:
            return self.user.email_weekly_summary
        return self.kind != NotificationKind.MODERATION


def wanting_email() -> models.Q:
    """The notifications whose user wants them e-mailed (`Notification.wants_email`)."""
    optional = [NotificationKind.PERK_OFFER, NotificationKind.WEEKLY_SUMMARY]
    return (
        ~models.Q(kind__in=[*optional, NotificationKind.MODERATION])
        | models.Q(kind=NotificationKind.PERK_OFFER, user__email_perk_offers=True)
        | models.Q(kind=NotificationKind.WEEKLY_SUMMARY, user__email_weekly_summary=True)
    )


class ApiScope(models.TextChoices):
    READ = "read", "Read scores and topics"
    BRAND_WRITE = "brand-write", "Read, and manage one brand's campaigns and claims"


class ApiKey(BaseModel):
    """A partner's key to the API. Only a hash is kept: the key itself is shown once, when
    it is made. A brand-write key acts for one brand (campaigns.Brand, named by id here
    because the base app knows no app above it)."""

    name = models.CharField(max_length=100, help_text="Whose it is, to recognise it.")
    prefix = models.CharField(max_length=16, help_text="The key's first characters.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(max_length=12, choices=ApiScope.choices, default=ApiScope.READ)
    brand_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(scope="read") | models.Q(brand_id__isnull=False),
                name="brand_key_names_its_brand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
