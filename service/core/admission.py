"""Per-worker admission gates for memory-heavy CPU work: password hashing, image decoding.

Each gate admits at most `slots` jobs at once; a request waits at most `max_wait_s` for a
slot and then gets a 503 with `Retry-After`, so a flood can neither queue without bound
nor push the worker past its memory budget. Time spent here is not the database's: it
does not count against the request's database deadline (`service.core.db_deadline`), so a
busy worker says `worker-busy`, never `database-unavailable`. The worst case of one
worker is therefore

    RSS = base + hashing slots x Argon2 memory + decoding slots x decode budget

(see the README's "Memory budget"). Gates live in the lifespan state, one set per process.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import anyio
import anyio.to_thread
import structlog
from prometheus_client import Counter

from service.core.config import Settings
from service.core.db_deadline import outside_database_deadline
from service.core.errors import Unavailable

log = structlog.get_logger(__name__)

T = TypeVar("T")


class WorkerBusy(Unavailable):
    """Every slot of a gate is taken and stayed taken for the longest allowed wait."""

    def __init__(self, gate: str, retry_after_s: int) -> None:
        super().__init__(
            f"The server is busy ({gate}); nothing was changed. Retry after the indicated "
            "number of seconds.",
            retry_after_s,
        )


class AdmissionGate:
    """At most `slots` concurrent jobs of one kind in this process, with a bounded wait."""

    def __init__(
        self, name: str, slots: int, max_wait_s: float, rejections: Counter | None = None
    ) -> None:
        self.name = name
        self.slots = slots
        self.max_wait_s = max_wait_s
        # Made by the first job: anyio's event-loop backend (~80 ms and up to 6 MiB to
        # import) is then loaded by the first request that needs a thread, not at start.
        self._limiter: anyio.CapacityLimiter | None = None
        self._rejections = rejections.labels(gate=name) if rejections is not None else None

    async def run_sync(self, func: Callable[..., T], *args: object) -> T:
        """Run `func(*args)` in a worker thread once a slot is free, or raise `WorkerBusy`.

        Neither the wait nor the work counts against the request's database deadline.
        """
        with outside_database_deadline():
            return await self._run_sync(func, *args)

    async def _run_sync(self, func: Callable[..., T], *args: object) -> T:
        if self._limiter is None:  # no await before it: one limiter per gate
            self._limiter = anyio.CapacityLimiter(self.slots)
        limiter = self._limiter
        try:
            with anyio.fail_after(self.max_wait_s):
                await limiter.acquire()
        except TimeoutError:
            if self._rejections is not None:
                self._rejections.inc()
            log.warning("admission.rejected", gate=self.name, slots=self.slots)
            raise WorkerBusy(self.name, math.ceil(self.max_wait_s) or 1) from None
        try:
            return await anyio.to_thread.run_sync(func, *args)
        finally:
            limiter.release()


@dataclass(frozen=True)
class Gates:
    """The gates of one worker process."""

    hashing: AdmissionGate
    decoding: AdmissionGate
    inference: AdmissionGate


def build_gates(settings: Settings, rejections: Counter | None = None) -> Gates:
    """One hashing, one decoding and one inference gate sized from settings."""
    return Gates(
        hashing=AdmissionGate(
            "hashing", settings.hash_concurrency, settings.hash_max_wait_s, rejections
        ),
        decoding=AdmissionGate(
            "decoding", settings.decode_concurrency, settings.decode_max_wait_s, rejections
        ),
        # ONNX sessions are loaded and run under it: model memory and CPU stay bounded.
        inference=AdmissionGate(
            "inference", settings.inference_concurrency, settings.inference_max_wait_s, rejections
        ),
    )
