"""What is new on a Mastodon account since Sway last read it, for the daily refresh of verified
accounts (scoring.services.mastodon_refresh).

Two passes over the account's statuses. The statuses newer than the last one read come by
Mastodon's `min_id` paging: a page of those just after it, then of those after that page's
newest, until an empty page. The window's older statuses come newest first, down to the
window's start, only to compare their favourite and reblog counts with those stored at the
last read: engagement keeps arriving on older posts, and a page of 40 statuses costs one
request where asking each status who favourited it costs one a status. Who favourited or
reblogged is read again only where a count grew; a status not stored yet is read whole.

A bad line or a failed request raises, and nothing of the account is written. When the server
stops answering this client on the way (its rate limit spent, no answer), the statuses read
whole until then are given, marked incomplete: written without moving the account's cursor,
they are known at the next read, which reads only what they lacked."""

from collections.abc import Generator, Mapping
from dataclasses import dataclass

from scoring.ingest.mastodon import (
    AccountReader,
    Client,
    Counts,
    Page,
    RequestError,
    account_reader,
    status_order,
)
from scoring.ingest.records import HandleRecord, SourceError, SourceLine


@dataclass(frozen=True)
class AccountUpdate:
    owner: HandleRecord
    lines: list[SourceLine]  # the account, then what is new, in the order the writer needs
    newest_status: str  # the newest status read ("" for none): where the next read starts
    recounted: dict[str, Counts]  # statuses read before whose counts changed: their counts now
    statuses: int  # statuses read whole of which something is new: progress, when incomplete
    complete: bool  # False when the server stopped answering on the way


class _ServerStopped(Exception):
    """The server stopped answering this client in the middle of the account."""


def read_update(
    client: Client, username: str, *, since: str, known: Mapping[str, Counts]
) -> AccountUpdate:
    """What is new on the account (`username` on the client's server) after status `since`
    ("" to read the whole window), given the counts `known` of the statuses stored. Raises
    SourceError (RequestError for a request) at the first problem."""
    reading = _Reading(account_reader(client, username, known))
    try:
        if since:
            reading.newer(since)
        reading.older()
    except _ServerStopped:
        return reading.update(complete=False)
    return reading.update(complete=True)


class _Reading:
    def __init__(self, reader: AccountReader):
        self.reader = reader
        self.client = reader.client
        self.lines = [reader.owner_line()]
        self.whole: set[str] = set()  # the statuses read whole
        self.changed: set[str] = set()  # … of which something is to be written

    def newer(self, since: str) -> None:
        after = since
        while True:
            page = self._list_page(self.reader.statuses_url(min_id=after))
            if not page.body:
                return
            self._page(page)
            if not self.reader.newest or status_order(self.reader.newest) <= status_order(after):
                raise RequestError(page.url, f"no status after {after} on a page asked for them")
            after = self.reader.newest

    def older(self) -> None:
        oldest = self.reader.oldest
        url: str | None = (
            self.reader.statuses_url(max_id=oldest) if oldest else self.reader.statuses_url()
        )
        while url:
            page = self._list_page(url)
            if not page.body or self._page(page):
                return  # the last page, or past the window's start
            url = page.next_url

    def update(self, *, complete: bool) -> AccountUpdate:
        reader = self.reader
        return AccountUpdate(
            owner=reader.owner,
            lines=self.lines,
            newest_status=reader.newest if complete else "",
            recounted={s: c for s, c in reader.recounted.items() if s in self.whole},
            statuses=len(self.changed),
            complete=complete,
        )

    def _list_page(self, url: str) -> Page:
        try:
            return self.client.list_page(url)
        except RequestError:
            if self.client.stopped is not None:
                raise _ServerStopped from None
            raise

    def _page(self, page: Page) -> bool:
        """Each status of the page, whole; True once one is older than the window."""
        for index, status in enumerate(page.body):
            lines: list[SourceLine] = []
            if self._gather(lines, self.reader.status_lines(f"{page.url}#{index}", status)):
                return True
            self.lines += lines
            status_id = self.reader.last_read
            self.whole.add(status_id)
            if lines or status_id in self.reader.recounted:
                self.changed.add(status_id)
        return False

    def _gather(self, into: list[SourceLine], lines: Generator[SourceLine, None, bool]) -> bool:
        """Append the generator's lines to `into` and give its return value; raise at a bad
        line, asking the server nothing more for this account."""
        while True:
            try:
                line = next(lines)
            except StopIteration as end:
                past_window: bool = end.value
                return past_window
            if line.record is None:
                if self.client.stopped is not None:
                    raise _ServerStopped
                raise SourceError(f"{line.location}: {line.error}")
            into.append(line)
