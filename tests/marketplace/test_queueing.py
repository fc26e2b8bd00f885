"""Services queue tasks by name (marketplace.queueing): every name the code and the settings
queue is a task a worker knows, and a name no task answers to fails at once."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from celery.exceptions import NotRegistered
from django.conf import settings

from marketplace.queueing import queue_on_commit, registered_task

ROOT = Path(__file__).resolve().parents[2]
APPS = ("marketplace", "scoring", "campaigns", "demo")


def _queue_calls() -> tuple[set[str], set[str]]:
    """The task names written out in queue_on_commit calls, and the files whose calls pass a
    name held elsewhere."""
    named, elsewhere = set(), set()
    for path in (file for app_dir in APPS for file in (ROOT / app_dir).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.id if isinstance(node.func, ast.Name) else None
            if called != "queue_on_commit":
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                named.add(first.value)
            else:
                elsewhere.add(str(path.relative_to(ROOT)))
    return named, elsewhere


def _registered(name: str) -> bool:
    try:
        registered_task(name)
    except NotRegistered:
        return False
    return True


def test_every_task_queued_by_name_is_registered():
    named, elsewhere = _queue_calls()
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    queued = named | set(settings.SCORING_AFTER_RUN) | beat

    assert "campaigns.tasks.invitation_email_task" in named  # the scan finds the calls
    # The pipeline queues settings.SCORING_AFTER_RUN, checked here; any other call names its task.
    assert elsewhere == {"scoring/pipeline/load.py"}
    assert sorted(name for name in queued if not _registered(name)) == []


def test_a_name_no_task_answers_to_fails_where_it_is_queued_not_on_commit(db):
    """A broker that is down is only logged on commit; a wrong name must not be."""
    with pytest.raises(NotRegistered):
        queue_on_commit("campaigns.tasks.no_such_task", 1)


def test_a_web_process_that_never_imported_the_tasks_finds_them_by_name():
    """Only workers import the tasks modules on their own; a web process queues by name all
    the same."""
    found = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); import sys; "
         "from marketplace.queueing import registered_task; "
         "assert 'campaigns.tasks' not in sys.modules; "
         "print(registered_task('campaigns.tasks.invitation_email_task').name)"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert found.stdout.strip() == "campaigns.tasks.invitation_email_task"
