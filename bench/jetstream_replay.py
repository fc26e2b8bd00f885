"""bench_stream's Jetstream, in a process of its own so that it does not share the consumer's
interpreter: a WebSocket server sending bench.jetstream_mix's frames at a steady rate
(`--rate` a second, 0 for as fast as the connection takes them) for `--seconds`, each
frame's time_us the wall clock when it is sent. Like Jetstream, it replays from a `cursor`
(µs) what it sent since, with the times it had, then goes on live.

Prints one JSON line when it listens ({"url"}) and one when it has sent everything
({"sent", "seconds", "behind_seconds"}: how far it fell behind its rate at worst)."""

import argparse
import bisect
import json
import time
from array import array
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidState
from websockets.sync.server import ServerConnection, serve

from bench.jetstream_mix import Template, lap_code, templates

HOST = "127.0.0.1"
TICK_SECONDS = 0.002
MOST_FRAMES_A_WRITE = 1_000  # the lock it holds meanwhile delays pongs to the consumer's pings


class Replay:
    def __init__(self, frames: list[Template], rate: float, seconds: float):
        self.frames = frames
        self.rate = rate
        self.seconds = seconds
        self.sent_us = array("q")  # the time each frame of the stream had, in order
        self.started = 0.0
        self.behind = 0.0
        self.done = False

    def frame(self, number: int) -> bytes:
        lap, index = divmod(number, len(self.frames))
        return self.frames[index].frame(self.sent_us[number], lap_code(lap))

    def handle(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request else ""
        cursor = parse_qs(urlsplit(path).query).get("cursor")
        number = bisect.bisect_left(self.sent_us, int(cursor[0])) if cursor else len(self.sent_us)
        try:
            while number < len(self.sent_us):  # what it sent since the cursor
                connection.send(self.frame(number), text=True)
                number += 1
            if not self.done:
                self._live(connection)
            for _ in connection:  # quiet until the consumer leaves
                pass
        except ConnectionClosed:
            pass

    def _live(self, connection: ServerConnection) -> None:
        self.started = self.started or time.monotonic()
        while (elapsed := time.monotonic() - self.started) < self.seconds:
            due = int(elapsed * self.rate) if self.rate else len(self.sent_us) + 1000
            if due <= len(self.sent_us):
                time.sleep(TICK_SECONDS)
                continue
            self.behind = max(self.behind, (due - len(self.sent_us)) / (self.rate or 1e9))
            frames = []
            for _ in range(min(due - len(self.sent_us), MOST_FRAMES_A_WRITE)):
                now_us = time.time_ns() // 1000
                self.sent_us.append(max(now_us, self.sent_us[-1] + 1) if self.sent_us else now_us)
                frames.append(self.frame(len(self.sent_us) - 1))
            send_at_once(connection, frames)
        self.done = True
        _say(
            sent=len(self.sent_us), seconds=round(elapsed, 2), behind_seconds=round(self.behind, 2)
        )


def send_at_once(connection: ServerConnection, payloads: list[bytes]) -> None:
    """The frames due at a tick, framed by websockets' protocol and written in one system call
    where websockets' send() makes one each: a real Jetstream is another machine's work, so
    the replay should take as little of this one as it can from the consumer it measures.
    Under websockets' own lock, as its thread answers the consumer's pings on this socket."""
    with connection.protocol_mutex:
        try:
            for payload in payloads:
                connection.protocol.send_text(payload)
            connection.socket.sendall(b"".join(connection.protocol.data_to_send()))
        except (InvalidState, OSError) as gone:
            raise ConnectionClosedError(None, None) from gone


def _say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=20_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--frames", type=int, default=300_000)
    parser.add_argument("--accounts", type=int, default=200_000)
    options = parser.parse_args()
    replay = Replay(templates(options.frames, options.accounts), options.rate, options.seconds)
    with serve(replay.handle, HOST, 0, max_size=None, compression=None) as server:
        _say(url=f"ws://{HOST}:{server.socket.getsockname()[1]}/subscribe")
        server.serve_forever()


if __name__ == "__main__":
    main()
