# Sway's commands. `make run` for the site, `make test` for everything CI checks.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.synced-with-lock
export UV_PYTHON_DOWNLOADS := never

# The first Python 3.12+ found; `make PYTHON=/path/to/python3.12 …` overrides it.
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	2>/dev/null && { command -v $$p; break; }; done)

TEST_DATABASE_URL := postgres://postgres@127.0.0.1:5432/sway
CHECK_ENV := DJANGO_SETTINGS_MODULE=tests.settings
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}

.PHONY: help install run serve worker beat stream lint test bench services chromium java wrk clean

help:
	@echo "make run    install, migrate and serve Sway on http://127.0.0.1:8000/"
	@echo "make test   lint, then every test on PostgreSQL (what CI runs)"
	@echo "make bench  the benchmarks under bench/ (BENCH=name for one; figures: docs/PERFORMANCE.md)"
	@echo "make worker / make beat   a Celery worker / the scheduler (needs CELERY_BROKER_URL)"
	@echo "make stream  read Bluesky live from Jetstream (BLUESKY_JETSTREAM_URL) into the database"

install: $(STAMP)

$(STAMP): requirements.lock
	@if [ -z "$(PYTHON)" ]; then \
		echo "Sway needs Python 3.12 or newer and none was found on PATH." >&2; \
		echo "Install one (e.g. 'pyenv install 3.12' or 'apt-get install python3.12-venv')," >&2; \
		echo "or point at it: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)" >&2; \
		exit 1; fi
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "Replacing $(VENV), which was made with an older Python."; rm -rf $(VENV); fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		"$$(grep -E '^uv==' requirements.lock | cut -d' ' -f1)"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	@touch $@

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --days 180
	$(RUN_ENV) $(BIN)/python manage.py compute_scores --since 90d
	$(RUN_ENV) $(BIN)/python manage.py record_backtest
	$(RUN_ENV) $(BIN)/python manage.py propose_topics
	$(RUN_ENV) $(BIN)/python manage.py seed_demo_campaigns
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

worker: install
	$(BIN)/celery -A marketplace worker --loglevel=INFO

beat: install
	$(BIN)/celery -A marketplace beat --loglevel=INFO --schedule var/celerybeat-schedule

stream: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py stream_bluesky

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(CHECK_ENV) $(BIN)/mypy .
	$(BIN)/lint-imports
	$(CHECK_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(CHECK_ENV) $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

services:
	@scripts/ensure-services

chromium:
	@scripts/ensure-package chromium chromium "the browser tests"

java:
	@scripts/ensure-package java openjdk-17-jre-headless "the Spark engine's tests"

wrk:
	@scripts/ensure-package wrk wrk "the page benchmarks"

test: export DATABASE_URL ?= $(TEST_DATABASE_URL)
# --max-worker-restart=0: a worker that dies ends the run at once, naming the test it died on.
# pytest-xdist 3.8 replaces a dead worker under --dist loadgroup and can then wait forever for
# work it never hands out (pytest-xdist#1323, #1378): CI timed out that way after 90 minutes.
test: install services chromium java lint
	$(BIN)/pytest -n 2 --dist loadgroup --max-worker-restart=0 --cov --cov-report=term-missing:skip-covered

bench: install services wrk java
	DJANGO_SECRET_KEY=bench-only DJANGO_HTTPS=false $(BIN)/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) var
