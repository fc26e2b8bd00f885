"""Tasks are queued once the transaction that made their work commits. A broker that cannot
be reached then is logged and never fails the request: its work is committed and answered
for, and what the task would have done is caught up later (notifications by their sweep,
scores and eligibility by the nightly run)."""

from typing import Any

from django.db import transaction


def queue_on_commit(task: Any, *args: Any) -> None:
    transaction.on_commit(lambda: task.delay(*args), robust=True)
