"""The production settings, with a throwaway key, served over plain HTTP (the test client and
the browser tests' live server speak HTTP) and with static files found where they lie instead
of collected with a manifest (tests/marketplace/test_settings.py checks that collecting works)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "sway-tests-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "false")

from marketplace.settings import *  # noqa: F403
from marketplace.settings import DATABASES, STORAGES, VAR_DIR

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STATIC_ROOT = None

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file rather than memory, so that a worker process started by a test can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    VAR_DIR.mkdir(exist_ok=True)  # not there in a fresh clone
