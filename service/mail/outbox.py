"""Sending without blocking a response: each mail is a background task with retries."""

from __future__ import annotations

import asyncio

import structlog
from prometheus_client import Counter

from service.core.tasks import raise_if_cancelled, stop
from service.mail.sender import MailSender
from service.mail.templates import Mail

log = structlog.get_logger(__name__)

RETRY_DELAYS_S = (1.0, 5.0, 30.0)


class Outbox:
    """Queues mails as tasks; a failure is retried, then logged and counted.

    The log events name the kind and recipient only, never the body: it holds a token.
    """

    def __init__(
        self,
        sender: MailSender,
        *,
        sent: Counter,
        failed: Counter,
        retry_delays_s: tuple[float, ...] = RETRY_DELAYS_S,
    ) -> None:
        self._sender = sender
        self._sent = sent
        self._failed = failed
        self._delays = retry_delays_s
        # Strong references: the event loop keeps only weak ones to running tasks.
        self._tasks: set[asyncio.Task[None]] = set()

    def post(self, mail: Mail) -> None:
        """Send `mail` in the background; returns at once."""
        task = asyncio.create_task(self._deliver(mail))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, mail: Mail) -> None:
        for attempt in range(len(self._delays) + 1):
            raise_if_cancelled()
            try:
                await self._sender.send(mail)
            except Exception as exc:
                # Any failure of one mail must not escape a background task; it is retried
                # and finally logged (type only: SMTP replies may echo the message).
                if attempt < len(self._delays):
                    await asyncio.sleep(self._delays[attempt])
                    continue
                self._failed.labels(mail.kind).inc()
                log.warning(
                    "mail.failed",
                    kind=mail.kind,
                    to=mail.to,
                    attempts=attempt + 1,
                    error_type=type(exc).__name__,
                )
                return
            self._sent.labels(mail.kind).inc()
            log.info("mail.sent", kind=mail.kind, to=mail.to, attempts=attempt + 1)
            return

    async def drain(self, timeout_s: float = 5.0) -> None:
        """At shut-down: give queued mails a moment to go out, then cancel the rest."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout_s)
        for task in pending:
            await stop(task)
