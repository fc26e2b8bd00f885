"""Work handed to a thread with a database connection of its own, so that the database serves
it while the handing thread goes on: PostgreSQL then works for both at once, one server
process each."""

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connections, transaction


class InBackground[Work, Result]:
    """Runs `task` on each piece of work handed over, in one transaction each, in the order
    handed over. At most `depth` pieces wait or run: handing over one more first waits for
    the oldest, so memory stays bounded and a failure surfaces at a later hand-over (or at
    `close`)."""

    def __init__(self, task: Callable[[Work], Result], name: str, depth: int):
        self._task = task
        self._depth = depth
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._pending: deque[Future[Result]] = deque()

    def hand_over(self, work: Work) -> list[Result]:
        """Queue `work`; the results of the pieces this had to wait for."""
        done = []
        while len(self._pending) >= self._depth:
            done.append(self._pending.popleft().result())
        self._pending.append(self._thread.submit(self._run, work))
        return done

    def close(self) -> list[Result]:
        """Finish every piece handed over, even those behind one that failed, then let the
        thread and its connection go: the pieces' results, or the first failure."""
        results: list[Result] = []
        failure: BaseException | None = None
        while self._pending:
            try:
                results.append(self._pending.popleft().result())
            except BaseException as error:  # raised below, once the rest are done
                failure = failure or error
        self._thread.submit(connections.close_all).result()  # the thread's own connection
        self._thread.shutdown()
        if failure is not None:
            raise failure
        return results

    def _run(self, work: Work) -> Result:
        with transaction.atomic():
            return self._task(work)
