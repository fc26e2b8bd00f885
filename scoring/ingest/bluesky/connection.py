"""A WebSocket connection to Jetstream, read on the consumer's own thread through websockets'
Sans-I/O protocol: each read of the socket takes whatever frames have come (hundreds at full
speed). websockets' threaded client read them on a thread of its own and handed the consumer
one message at a time, under one interpreter lock with the writer: the stream went 5 to 10 %
faster without it (docs/PERFORMANCE.md, "20,000 a second"). The protocol answers pings
itself; a connection silent for PING_SECONDS is pinged, and one that does not answer within
PING_SECONDS more is taken for lost."""

import socket
import ssl
import time
from types import TracebackType

from websockets.client import ClientProtocol
from websockets.exceptions import InvalidMessage
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.uri import parse_uri

READ_BYTES = 1 << 20
PING_SECONDS = 20.0
CLOSE_SECONDS = 1.0
SHORTEST_WAIT_SECONDS = 1e-4  # a socket's timeout of 0 would make it non-blocking


class Connection:
    def __init__(self, url: str, *, open_timeout: float, max_size: int):
        uri = parse_uri(url)
        self._protocol = ClientProtocol(uri, max_size=max_size)
        self._messages: list[bytes] = []
        self._parts: list[bytes] = []  # of a message sent in fragments
        deadline = time.monotonic() + open_timeout
        self._socket = socket.create_connection((uri.host, uri.port), timeout=open_timeout)
        try:
            if uri.secure:
                context = ssl.create_default_context()
                self._socket = context.wrap_socket(self._socket, server_hostname=uri.host)
            self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._protocol.send_request(self._protocol.connect())
            self._send()
            while self._protocol.state is State.CONNECTING:
                self._read(deadline)
            if self._protocol.handshake_exc is not None:
                raise self._protocol.handshake_exc
        except BaseException:
            self._socket.close()
            raise
        self._heard_at = time.monotonic()
        self._pinged_at: float | None = None

    def __enter__(self) -> "Connection":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self._protocol.state is State.OPEN:
                self._protocol.send_close()
                self._send()
        except OSError:
            pass  # closing a connection already lost
        finally:
            self._socket.close()

    def receive(self, timeout: float) -> list[bytes]:
        """The messages that have come, in order, at least one (hundreds at full speed);
        TimeoutError if none comes within `timeout` seconds, and ConnectionError (or
        websockets' ConnectionClosed) once the connection is lost."""
        deadline = time.monotonic() + timeout
        while not self._messages:
            if self._protocol.state is not State.OPEN:
                self._closing()
            self._keep_alive()
            self._read(min(deadline, (self._pinged_at or self._heard_at) + PING_SECONDS))
            if not self._messages and time.monotonic() >= deadline:
                raise TimeoutError("no message")
        messages, self._messages = self._messages, []
        return messages

    def _closing(self) -> None:
        """Raise websockets' ConnectionClosed once the server has closed the connection,
        waiting CLOSE_SECONDS at most for it to."""
        deadline = time.monotonic() + CLOSE_SECONDS
        while self._protocol.state is State.CLOSING and time.monotonic() < deadline:
            self._read(deadline)
        if self._protocol.state is not State.CLOSED:
            raise ConnectionError("the connection is not closed after the close handshake")
        raise self._protocol.close_exc

    def _keep_alive(self) -> None:
        now = time.monotonic()
        if self._pinged_at is not None and now - self._pinged_at >= PING_SECONDS:
            raise ConnectionError(f"no answer to a ping in {PING_SECONDS:.0f} s")
        if self._pinged_at is None and now - self._heard_at >= PING_SECONDS:
            self._protocol.send_ping(b"")
            self._send()
            self._pinged_at = now

    def _read(self, until: float) -> None:
        """Take in what the socket has, waiting for it until `until` (monotonic) at most."""
        self._socket.settimeout(max(until - time.monotonic(), SHORTEST_WAIT_SECONDS))
        try:
            data = self._socket.recv(READ_BYTES)
        except TimeoutError:
            if self._protocol.state is State.CONNECTING:
                raise
            return
        if data:
            self._protocol.receive_data(data)
        else:
            self._protocol.receive_eof()
        self._heard_at, self._pinged_at = time.monotonic(), None
        for event in self._protocol.events_received():
            if isinstance(event, Frame):
                self._take(event)
        self._send()
        if not data and self._protocol.state is State.CONNECTING:
            raise InvalidMessage("the server closed the connection during the handshake")

    def _take(self, frame: Frame) -> None:
        if frame.opcode in (Opcode.TEXT, Opcode.BINARY):
            self._parts = [bytes(frame.data)]
        elif frame.opcode is Opcode.CONT:
            self._parts.append(bytes(frame.data))
        else:
            return  # a ping, pong or close, which the protocol answers
        if frame.fin:
            self._messages.append(b"".join(self._parts))
            self._parts = []

    def _send(self) -> None:
        for data in self._protocol.data_to_send():
            if data:
                self._socket.sendall(data)
            else:
                self._socket.shutdown(socket.SHUT_WR)
