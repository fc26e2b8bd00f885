"""A real SMTP server for tests (aiosmtpd), collecting what each conversation delivered."""

import asyncio
import email
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class SmtpInbox:
    """The messages accepted; `rcpt_delay` seconds of thought before each recipient is
    accepted, for a test to catch a sender mid-conversation."""

    def __init__(self, rcpt_delay: float = 0.0):
        self.messages: list[EmailMessage] = []
        self.rcpt_delay = rcpt_delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def wait_for(self, recipient: str, timeout: float = 15.0) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if recipient in message["To"]:
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no e-mail reached {recipient} within {timeout} s")

    def wait_for_count(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} e-mails of {count} in {timeout} s")
            time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(inbox: SmtpInbox) -> Iterator[Controller]:
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def mailer(controller: Controller) -> dict[str, object]:
    """A MAILERS entry that sends to the server."""
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": controller.hostname, "port": controller.port},
    }
