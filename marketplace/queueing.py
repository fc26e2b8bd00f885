"""Tasks are queued by name once the transaction that made their work commits, so that a
service never imports the tasks module that calls it back. A name no task answers to fails at
once, in the request that queues it. A broker that cannot be reached then is logged and never
fails the request: its work is committed and answered for, and what the task would have done
is caught up later (notifications by their sweep, scores and eligibility by the nightly run)."""

from typing import Any

from celery import Task
from django.db import transaction

from marketplace.celery import app


def queue_on_commit(task_name: str, *args: Any) -> None:
    task = registered_task(task_name)
    transaction.on_commit(lambda: task.delay(*args), robust=True)


def registered_task(name: str) -> Task:
    """The task of that name, in eager mode (tests, `make run`) as on a worker; an unknown
    name raises celery's NotRegistered."""
    if name not in app.tasks:
        # A web process has not imported the apps' tasks modules, which register the tasks.
        app.loader.import_default_modules()
    return app.tasks[name]
