"""Senders behind one small protocol: SMTP for real delivery, the log for development."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import orjson
import structlog

from service.mail.templates import Mail

log = structlog.get_logger(__name__)


class MailSender(Protocol):
    """Delivers one message or raises."""

    async def send(self, mail: Mail) -> None:
        """Hand `mail` over for delivery."""


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to reach the SMTP server."""

    host: str
    port: int
    sender: str
    starttls: bool = False
    tls: bool = False
    username: str | None = None
    password: str | None = None
    timeout_s: float = 10.0


def to_message(mail: Mail, sender: str) -> EmailMessage:
    """A MIME message with a plain-text part and an HTML alternative."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


class SmtpSender:
    """Sends over SMTP with aiosmtplib, one connection per message (mail is rare here)."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    async def send(self, mail: Mail) -> None:
        """Deliver `mail`; aiosmtplib's errors propagate so the outbox can retry."""
        import aiosmtplib  # by the first mail, not by every worker at start

        config = self._config
        await aiosmtplib.send(
            to_message(mail, config.sender),
            hostname=config.host,
            port=config.port,
            use_tls=config.tls,
            # None: upgrade when the server offers it; False: never (a loopback test server).
            start_tls=True if config.starttls else False,  # noqa: SIM210 - explicit for aiosmtplib
            username=config.username,
            password=config.password,
            timeout=config.timeout_s,
        )


class LogSender:
    """Development without SMTP: the mail, link included, goes to the log at INFO.

    With a `path` (`MAIL_LOG_FILE`) each mail is also appended to it as one JSON line, so
    a shell (or a test) can read a mailed link back. Never used in production (the
    settings refuse a production start without SMTP_HOST), because the log would then
    hold live tokens.
    """

    def __init__(self, path: str | None = None) -> None:
        self._path = Path(path) if path else None

    async def send(self, mail: Mail) -> None:
        """Write `mail` to the log (and to the mail log file, if any)."""
        log.info("mail.logged", kind=mail.kind, to=mail.to, subject=mail.subject, body=mail.text)
        if self._path is not None:
            line = {"kind": mail.kind, "to": mail.to, "subject": mail.subject, "body": mail.text}
            await asyncio.to_thread(_append_line, self._path, orjson.dumps(line) + b"\n")


def _append_line(path: Path, line: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as file:
        file.write(line)
