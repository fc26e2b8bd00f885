"""A local HTTP server answering with recorded JSON, so connectors are tested over real HTTP
instead of by mocking our own code."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"
Routes = dict[str, tuple[Any, str | None]]  # path and query → (JSON body, next page's path)


class RecordedServer(ThreadingHTTPServer):
    """Answers exactly its routes, 404 otherwise; HTTP 429 with the given headers while a
    path's count in `throttled` lasts; the status in `failing` for a path there. `headers` go
    with every answer of a route; a body given as bytes is sent as it is."""

    def __init__(self, routes: Routes, throttled: dict[str, list[Any]]):
        super().__init__((HOST, 0), _Handler)
        self.url = f"http://{HOST}:{self.server_address[1]}"
        self.routes = dict(routes)
        self.throttled = throttled
        self.failing: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        self.requests: list[tuple[str, str]] = []


class _Handler(BaseHTTPRequestHandler):
    server: RecordedServer

    def do_GET(self):
        self.server.requests.append((self.path, self.headers["User-Agent"]))
        throttled = self.server.throttled.get(self.path, [0, {}])
        if throttled[0]:
            throttled[0] -= 1
            self.answer(429, {"error": "Too many requests"}, throttled[1])
        elif self.path in self.server.failing:
            self.answer(self.server.failing[self.path], {"error": "Failed"}, {})
        elif self.path in self.server.routes:
            body, next_path = self.server.routes[self.path]
            link = {"Link": f'<{self.server.url}{next_path}>; rel="next"'} if next_path else {}
            self.answer(200, body, {**self.server.headers, **link})
        else:
            self.answer(404, {"error": "Record not found"}, {})

    def answer(self, status, body, headers):
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format, *args):
        pass


@contextmanager
def serving(
    routes: Routes, throttled: dict[str, list[Any]] | None = None
) -> Iterator[RecordedServer]:
    server = RecordedServer(routes, throttled or {})
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
