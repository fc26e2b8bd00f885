"""Sway's settings: one module, every deployment difference comes from the environment.

With nothing set, the site runs on a SQLite file under var/ with tasks run in-process and
e-mail printed to the console. Production sets DATABASE_URL, CELERY_BROKER_URL, CACHE_URL,
EMAIL_URL, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_SITE_URL (see README.md).
"""

from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from marketplace.failover_cache import cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - only with DEBUG on

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000")  # links in e-mail
SITE_NAME = "Sway"  # what e-mail calls the site (allauth would name the request's host)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram search; on other databases its lookups go unused
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.instagram",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.google",
    "marketplace",
    "scoring",
    "campaigns",
    "demo",  # the demo world and its seed_demo commands; the apps never import it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "marketplace.request_text.reject_nul_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
# SQLite (the quickstart) builds scoring's covering index without its included columns; the
# index is for PostgreSQL's index-only scans.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context.unread_notifications",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------

if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(exist_ok=True)  # the zero-configuration SQLite file lives there
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sway.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Each transaction takes SQLite's one write lock as it begins, so that concurrent requests
    # (two claims at once) wait their turn instead of failing with "database is locked" when a
    # transaction that has read tries to write.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login lockouts, API rate limits and live API keys are kept in the cache, so production needs
# one shared by every web host (`check --deploy` insists), with the database behind it while
# it cannot be reached (marketplace.failover_cache).
CACHES = cache_settings(env.cache("CACHE_URL", default="locmemcache://sway"))

AUTH_USER_MODEL = "marketplace.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# --- E-mail -----------------------------------------------------------------------------


def _mailer_from_url(url: str) -> dict[str, object]:
    """A MAILERS entry from EMAIL_URL: console:// or smtp[+tls|s]://user:password@host:port."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtp+tls", "smtps"):
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with console://, smtp://, smtp+tls:// or smtps://, not {url!r}"
        )
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[parts.scheme],
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": parts.scheme == "smtp+tls",
            "use_ssl": parts.scheme == "smtps",
            "timeout": 10,
        },
    }


MAILERS = {"default": _mailer_from_url(env.str("EMAIL_URL", default="console://"))}
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Sway <hello@sway.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to Sway (the contact page, and the foot of account e-mails).
CONTACT_EMAIL = env.str("SWAY_CONTACT_EMAIL", default=parseaddr(DEFAULT_FROM_EMAIL)[1])

# --- Accounts (django-allauth) ----------------------------------------------------------

LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "marketplace.accounts.AccountAdapter"  # a first sign-in; e-mails as Sway
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Only the browser session that signed up is signed in by the link (allauth keeps the sign-up
# in that session), so a forwarded or leaked link signs nobody in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_FORMS = {  # allauth's forms, labelled in Sway's words
    "login": "marketplace.account_forms.LoginForm",
    "signup": "marketplace.account_forms.SignupForm",
    "add_email": "marketplace.account_forms.AddEmailForm",
    "change_password": "marketplace.account_forms.ChangePasswordForm",
    "reset_password": "marketplace.account_forms.ResetPasswordForm",
    "reset_password_from_key": "marketplace.account_forms.ResetPasswordKeyForm",
}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# connecting a social account verifies its handle
SOCIALACCOUNT_ADAPTER = "scoring.services.verification_sign_in.HandleConnectingAdapter"
SOCIALACCOUNT_STORE_TOKENS = True


def _social_provider(network: str, **extra: object) -> dict[str, object] | None:
    """A provider's settings when SOCIAL_<NETWORK>_CLIENT_ID and _SECRET are both set."""
    client_id = env.str(f"SOCIAL_{network}_CLIENT_ID", default="")
    secret = env.str(f"SOCIAL_{network}_SECRET", default="")
    if not (client_id and secret):
        return None
    return {"client_id": client_id, "secret": secret, **extra}


_SOCIAL_APPS = {
    "twitter_oauth2": _social_provider("TWITTER"),
    "facebook": _social_provider("FACEBOOK"),
    "instagram": _social_provider("INSTAGRAM"),
    "google": _social_provider("GOOGLE"),
    "openid_connect": _social_provider(
        "LINKEDIN",
        provider_id="linkedin",
        name="LinkedIn",
        settings={"server_url": "https://www.linkedin.com/oauth"},
    ),
}
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {
    "twitter_oauth2": {},
    "facebook": {"SCOPE": ["email", "public_profile"]},
    "instagram": {},
    "google": {
        "SCOPE": ["profile", "email", "https://www.googleapis.com/auth/youtube.readonly"],
        "AUTH_PARAMS": {"access_type": "online"},
    },
    "openid_connect": {},
}
for _provider, _app in _SOCIAL_APPS.items():
    if _app is not None:
        key = "APPS" if _provider == "openid_connect" else "APP"
        SOCIALACCOUNT_PROVIDERS[_provider][key] = [_app] if key == "APPS" else _app

# Mastodon servers reached at another address than https://<host> (host → base URL).
MASTODON_INSTANCE_URLS: dict[str, str] = {}

# Where `manage.py stream_bluesky` reads Bluesky from: Jetstream subscribe addresses, tried in
# turn when one fails (comma-separated); Bluesky's four public hosts unless set.
BLUESKY_JETSTREAM_URL = env.list(
    "BLUESKY_JETSTREAM_URL",
    default=[
        f"wss://jetstream{n}.{region}.bsky.network/subscribe"
        for region in ("us-east", "us-west")
        for n in (2, 1)
    ],
)

# Bluesky's public AppView API (XRPC over HTTPS): verification codes, an account's backfill, the
# names of accounts the stream has not named.
BLUESKY_APPVIEW_URL = env.str("BLUESKY_APPVIEW_URL", default="https://public.api.bsky.app")

# --- Celery ---------------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
# With no broker configured every task runs in-process, so the quickstart needs no services.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 11 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis as the broker, a task a killed worker held is delivered again after this long
# (RabbitMQ does it at once). It must outlast the longest task (the scoring run's 35 minutes)
# and retry wait, or a running task would run twice; e-mail does not wait for it, as the
# notifications sweep sends what a dead worker held within minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "marketplace.tasks.heartbeat_task",
        "schedule": 60.0,
        "args": ("beat",),
    },
    "mastodon-refresh": {  # before the nightly scores, which then count what it read
        "task": "scoring.tasks.mastodon_refresh_task",
        "schedule": crontab(hour=22, minute=30),
    },
    "nightly-scores": {
        "task": "scoring.tasks.compute_scores_task",
        "schedule": crontab(hour=0, minute=15),
    },
    "topic-candidates": {
        "task": "scoring.tasks.topic_candidates_task",
        "schedule": crontab(hour=1, minute=0),
    },
    "campaigns-on-time": {
        "task": "campaigns.tasks.campaigns_advance_task",
        "schedule": 60.0,
    },
    "weekly-summaries": {
        "task": "scoring.tasks.weekly_summaries_task",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    "notifications-sweep": {
        "task": "marketplace.tasks.notifications_sweep_task",
        "schedule": crontab(minute="*/5"),
    },
    "weekly-backtest": {
        "task": "scoring.tasks.backtest_record_task",
        "schedule": crontab(day_of_week="sun", hour=3, minute=0),
    },
    "bluesky-records-forget": {
        "task": "scoring.tasks.bluesky_records_forget_task",
        "schedule": crontab(hour=2, minute=0),
    },
    "bluesky-names": {
        "task": "scoring.tasks.bluesky_handles_name_task",
        "schedule": crontab(minute="*/10"),
    },
}

# Tasks queued after each live scoring run commits: scoring knows them only by these names.
SCORING_AFTER_RUN = ["campaigns.tasks.eligibility_refresh_all_task"]
# The scoring run's compute step (scoring.pipeline.compute): "numpy" (scoring.engine, on this
# machine) or "spark" (scoring.spark); compute_scores --engine chooses for one run.
SCORING_ENGINE = env.str("SCORING_ENGINE", default="numpy")
# Where each run writes the day's window as Parquet before computing (scoring.engine.parquet):
# a folder or any URL pyarrow reaches (s3://…, hdfs://…); empty, nowhere.
SCORING_WINDOW_URL = env.str("SCORING_WINDOW_URL", default="")
# Called, in its transaction, when a person opts out: scoring knows them only by these names.
PERSON_OPT_OUT_HOOKS = ["campaigns.services.claims.claims_withdraw"]
# What the apps add to /healthz (a dict each, e.g. a stream consumer's lag): marketplace knows
# them only by these names.
HEALTH_REPORTS = ["scoring.selectors.streams.stream_lags"]

# --- API --------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.api_keys.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["marketplace.api_keys.throttling.ApiKeyThrottle"],
    # Requests a key may make; 429 with Retry-After beyond.
    "DEFAULT_THROTTLE_RATES": {"api-key": env.str("API_KEY_RATE", default="6000/min")},
    "EXCEPTION_HANDLER": "marketplace.api_errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sway API",
    "DESCRIPTION": "Influence scores, topics and perk campaigns.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Security ----------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# HTTPS-only behaviour follows DEBUG; DJANGO_HTTPS=false turns it off behind a plain-HTTP
# test server or a proxy that terminates TLS and does not set X-Forwarded-Proto.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check over plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
