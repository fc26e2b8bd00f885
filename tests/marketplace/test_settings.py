"""Settings come from the environment; these run manage.py as an operator would."""

import json
import secrets

import pytest

from tests.support import run_manage, shared_database_url

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "sway.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/sway",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "smtp+tls://sway:secret@smtp.example.org:587",
}


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deploy_check_fails_without_a_shared_cache():
    variables = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}

    result = run_manage("check", "--deploy", **variables)

    assert result.returncode != 0
    assert "(sway.E001) The cache is each process's own" in result.stderr
    assert "Set CACHE_URL to a Redis that every web process shares" in result.stderr


def test_start_up_fails_clearly_without_a_secret_key_when_debug_is_off():
    variables = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}

    result = run_manage("check", **variables)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_zero_configuration_runs_on_sqlite_with_eager_tasks_and_console_mail():
    result = run_manage("shell", "--no-imports", "-c", _PRINT_SETTINGS, DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["database"].endswith("var/sway.sqlite3")
    assert seen["eager"] is True
    assert seen["email"] == "django.core.mail.backends.console.EmailBackend"


def test_production_variables_select_postgres_redis_smtp_and_a_real_broker():
    result = run_manage("shell", "--no-imports", "-c", _PRINT_SETTINGS, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["eager"] is False
    assert seen["cache"] == "marketplace.failover_cache.FailoverCache"
    assert seen["shared_cache"] == "django.core.cache.backends.redis.RedisCache"
    assert seen["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert seen["email_options"] == {
        "host": "smtp.example.org",
        "port": 587,
        "username": "sway",
        "password": "secret",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }


@pytest.mark.django_db
def test_a_social_provider_is_switched_on_only_when_its_id_and_secret_are_set():
    list_providers = (
        "from allauth.socialaccount.adapter import get_adapter; "
        "print(sorted(app.provider_id or app.provider for app in get_adapter().list_apps(None)))"
    )

    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        list_providers,
        DJANGO_DEBUG="true",
        DATABASE_URL=shared_database_url(),
        SOCIAL_TWITTER_CLIENT_ID="tw-id",
        SOCIAL_TWITTER_SECRET="tw-secret",
        SOCIAL_LINKEDIN_CLIENT_ID="li-id",
        SOCIAL_LINKEDIN_SECRET="li-secret",
        SOCIAL_GOOGLE_CLIENT_ID="only-an-id",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['linkedin', 'twitter_oauth2']"


def test_collectstatic_builds_the_hashed_manifest_production_serves(tmp_path):
    result = run_manage(
        "collectstatic", "--no-input", **PRODUCTION, DJANGO_STATIC_ROOT=str(tmp_path)
    )

    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["css/site.css"]
    assert hashed_css != "css/site.css"
    assert (tmp_path / hashed_css).is_file()
    assert (tmp_path / f"{hashed_css}.gz").is_file()


_PRINT_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "database": str(db["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "cache": settings.CACHES["default"]["BACKEND"],
    "shared_cache": settings.CACHES.get("shared", {}).get("BACKEND"),
    "email": settings.MAILERS["default"]["BACKEND"],
    "email_options": settings.MAILERS["default"].get("OPTIONS"),
}))
"""
