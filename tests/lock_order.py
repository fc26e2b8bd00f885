"""Watching the order a service takes its locks in (PostgreSQL, in tests with
`django_db(transaction=True)`): another transaction holds one row while the service runs in a
thread; once the service waits for that row, the test asks which other rows it holds."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction
from django.db.models import Model

PATIENCE = 10.0  # seconds for the service to reach the held row


def is_locked(row: Model) -> bool:
    """Whether another transaction holds the row's lock, or has written it uncommitted."""
    rows = type(row)._default_manager.select_for_update(nowait=True).filter(pk=row.pk)
    try:
        with transaction.atomic():
            list(rows.values_list("pk", flat=True))
    except OperationalError:
        return True
    return False


@contextmanager
def waiting_for(row: Model, service: Callable[[], object]) -> Iterator[None]:
    """Hold the row's lock and run the service in a thread; the body runs once the service
    waits for the row. Leaving lets the service finish, and raises what it raised."""
    held, release = threading.Event(), threading.Event()
    pids: list[int] = []
    raised: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                rows = type(row)._default_manager.select_for_update().filter(pk=row.pk)
                list(rows.values_list("pk", flat=True))
                held.set()
                release.wait(PATIENCE * 3)
        finally:
            connection.close()

    def run() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.append(cursor.fetchone()[0])
            service()
        except BaseException as error:  # handed to the test below
            raised.append(error)
        finally:
            connection.close()

    holder, runner = threading.Thread(target=hold), threading.Thread(target=run)
    holder.start()
    held.wait(PATIENCE)
    runner.start()
    try:
        _until_blocked(pids, runner)
        yield
    finally:
        release.set()
        holder.join()
        runner.join()
    if raised:
        raise raised[0]


def _until_blocked(pids: list[int], runner: threading.Thread) -> None:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if not runner.is_alive():
            raise AssertionError("The service finished without waiting for the held row.")
        if pids:
            with connection.cursor() as cursor:
                cursor.execute("SELECT cardinality(pg_blocking_pids(%s))", [pids[0]])
                if cursor.fetchone()[0]:
                    return
        time.sleep(0.01)
    raise AssertionError("The service did not come to wait for the held row.")
