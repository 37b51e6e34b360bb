"""A real SMTP server (aiosmtpd) on loopback that keeps every message it receives."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

TOKEN_IN_LINK = re.compile(r"[?&]token=([A-Za-z0-9_-]+)")


@dataclass
class Mailbox:
    """What the server received, in order; safe to read while the server's thread writes."""

    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """aiosmtpd's hook: keep the message."""
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        """Forget every message."""
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        """The messages sent to `address`."""
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    async def wait_for(
        self, address: str, subject: str, *, count: int = 1, timeout_s: float = 120.0
    ) -> EmailMessage:
        """The `count`-th message to `address` whose subject contains `subject`."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = [m for m in self.to(address) if subject in str(m["Subject"])]
            if len(found) >= count:
                return found[count - 1]
            await asyncio.sleep(0.02)
        raise AssertionError(f"no mail {subject!r} #{count} to {address} within {timeout_s}s")


def text_of(message: EmailMessage) -> str:
    """The plain-text part."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    """The HTML part."""
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def token_of(message: EmailMessage) -> str:
    """The token in the message's link."""
    found = TOKEN_IN_LINK.search(text_of(message))
    assert found, text_of(message)
    return found.group(1)


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_smtp() -> tuple[Controller, Mailbox]:
    """Start the server on a free loopback port, in its own thread."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox
