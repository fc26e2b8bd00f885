"""The stream consumer's WebSocket connection (scoring.ingest.bluesky.connection) against real
local servers: websockets' own, over TLS too, and a bare socket that completes the handshake
and then says nothing, as a connection lost without a word looks."""

import base64
import hashlib
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.server import ServerConnection, serve

from scoring.ingest.bluesky import connection
from scoring.ingest.bluesky.connection import Connection

HOST = "127.0.0.1"
WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455, section 1.3


@contextmanager
def websocket_server(handler: Callable[[ServerConnection], None], **options) -> Iterator[str]:
    server = serve(handler, HOST, 0, compression=None, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"ws://{HOST}:{server.socket.getsockname()[1]}/subscribe"
    finally:
        server.shutdown()
        thread.join()


def opened(url: str, max_size: int = 1 << 20) -> Connection:
    return Connection(url, open_timeout=5, max_size=max_size)


def test_messages_come_whole_and_in_order_fragmented_or_not_then_the_close():
    def handler(ws: ServerConnection) -> None:
        ws.send('{"n": 1}')
        ws.send(['{"n"', ": 2}"])  # in two fragments
        ws.send(b"\xff\xfe", text=True)  # not UTF-8: given as it came, for the reader to refuse
        ws.close()

    with websocket_server(handler) as url, opened(url) as stream:
        received: list[bytes] = []
        while len(received) < 3:
            received += stream.receive(5)
        assert received == [b'{"n": 1}', b'{"n": 2}', b"\xff\xfe"]
        with pytest.raises(ConnectionClosed):
            stream.receive(5)


def test_no_message_in_time_is_a_timeout_and_the_connection_goes_on():
    arrived = threading.Event()

    def handler(ws: ServerConnection) -> None:
        arrived.wait(5)
        ws.send("late")
        ws.recv()  # until the client leaves

    with websocket_server(handler) as url, opened(url) as stream:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            stream.receive(0.05)
        assert time.monotonic() - started < 1
        arrived.set()
        assert stream.receive(5) == [b"late"]


def test_a_message_above_the_limit_closes_the_connection():
    with (
        websocket_server(lambda ws: ws.send("x" * 11) or ws.recv()) as url,
        opened(url, max_size=10) as stream,
        pytest.raises(ConnectionClosed) as closed,
    ):
        stream.receive(5)
    assert closed.value.sent is not None
    assert closed.value.sent.code == 1009  # message too big


def test_a_refused_subscription_raises_the_server_s_status():
    def refuse(ws: ServerConnection, request: object) -> object:
        return ws.respond(404, "no such stream\n")

    with (
        websocket_server(lambda ws: None, process_request=refuse) as url,
        pytest.raises(InvalidStatus, match="404"),
    ):
        opened(url)


@contextmanager
def silent_server() -> Iterator[str]:
    """Completes a client's handshake, then neither reads nor writes a byte."""
    listener = socket.create_server((HOST, 0))
    held: list[socket.socket] = []

    def accept() -> None:
        client, _ = listener.accept()
        held.append(client)
        request = b""
        while b"\r\n\r\n" not in request:
            request += client.recv(4096)
        key = next(
            line.split(b":", 1)[1].strip()
            for line in request.split(b"\r\n")
            if line.lower().startswith(b"sec-websocket-key:")
        )
        digest = hashlib.sha1(key + WEBSOCKET_GUID.encode()).digest()  # noqa: S324 - the protocol's
        client.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + base64.b64encode(digest) + b"\r\n\r\n"
        )

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"ws://{HOST}:{listener.getsockname()[1]}/subscribe"
    finally:
        thread.join(5)
        for held_socket in (*held, listener):
            held_socket.close()


def test_a_connection_silent_and_deaf_to_a_ping_is_taken_for_lost(monkeypatch):
    monkeypatch.setattr(connection, "PING_SECONDS", 0.1)
    with silent_server() as url, opened(url) as stream:
        started = time.monotonic()
        with pytest.raises(ConnectionError, match="ping"):
            stream.receive(5)
        assert 0.2 <= time.monotonic() - started < 2


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for HOST, signed by its own key, and the key: PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    address = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(address, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    certificate_path, key_path = directory / "host.pem", directory / "host.key"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_path, key_path


def test_a_wss_address_is_read_over_tls_from_a_host_whose_certificate_is_trusted(
    tmp_path, monkeypatch
):
    certificate, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)

    def handler(ws: ServerConnection) -> None:
        ws.send("over TLS")
        ws.recv()  # until the client leaves

    with websocket_server(handler, ssl=context) as url:
        secure = url.replace("ws://", "wss://")
        with pytest.raises(ssl.SSLCertVerificationError):
            opened(secure)  # trusted by nobody this machine trusts
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
        with opened(secure) as stream:
            assert stream.receive(5) == [b"over TLS"]
