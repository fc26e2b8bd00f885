"""A local Jetstream: a WebSocket server replaying frames in Jetstream's shapes from the
cursor each subscriber asks for, so the stream consumer is tested over a real connection
instead of by mocking our own code."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

HOST = "127.0.0.1"


@dataclass
class Frame:
    time_us: int  # where it stands in the stream (a malformed frame has no time of its own)
    payload: str | bytes
    text: bool = True  # sent as a text frame, even as bytes that are not UTF-8


@dataclass
class Replay:
    """Frames, in stream order. `drops[n]`: the n-th connection is closed after that many
    frames; `pace`: seconds between frames. Each subscription's address is kept in `asked`."""

    frames: list[Frame]
    drops: list[int] = field(default_factory=list)
    pace: float = 0.0
    asked: list[str] = field(default_factory=list)
    url: str = ""

    def cursors(self) -> list[int | None]:
        return [_cursor(path) for path in self.asked]

    def handle(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request else ""
        number = len(self.asked)
        self.asked.append(path)
        cursor = _cursor(path)
        limit = self.drops[number] if number < len(self.drops) else None
        chosen = [f for f in self.frames if cursor is None or f.time_us >= cursor]
        try:
            for sent, frame in enumerate(chosen):
                if limit is not None and sent >= limit:
                    connection.close(code=1011, reason="replay server dropping")
                    return
                connection.send(frame.payload, text=frame.text)
                if self.pace:
                    time.sleep(self.pace)
            for _ in connection:  # the live tail: quiet until the consumer leaves
                pass
        except ConnectionClosed:
            pass


def _cursor(path: str) -> int | None:
    values = parse_qs(urlsplit(path).query).get("cursor")
    return int(values[0]) if values else None


@contextmanager
def replaying(replay: Replay) -> Iterator[Replay]:
    server: Server = serve(replay.handle, HOST, 0, max_size=None)
    replay.url = f"ws://{HOST}:{server.socket.getsockname()[1]}/subscribe"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield replay
    finally:
        server.shutdown()
        thread.join()
