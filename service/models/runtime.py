"""Per-worker serving state: loaded sessions (LRU by bytes) and answered predictions (LRU)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from service.core.admission import AdmissionGate, WorkerBusy
from service.models.onnx_files import ModelLimits
from service.models.ort_limits import create_session
from service.models.schemas import Prediction
from service.models.slots import run_in_slot

# Prediction requests admitted per inference slot (running, loading or waiting for it).
PENDING_PER_SLOT = 16

K = TypeVar("K")
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """A least-recently-used map bounded by the total `cost` of its entries.

    Used only from the event loop, so it needs no lock of its own.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.used = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        """The value, marked most recently used, or None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: K, value: V, cost: int = 1) -> None:
        """Store `value`, evicting the least recently used until it fits (never if too big)."""
        if cost > self.capacity:
            return
        self.discard(key)
        while self.used + cost > self.capacity and self._entries:
            _, (_, evicted_cost) = self._entries.popitem(last=False)
            self.used -= evicted_cost
        self._entries[key] = (value, cost)
        self.used += cost

    def discard(self, key: K) -> None:
        """Forget `key` if present."""
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.used -= entry[1]


@dataclass
class Serving:
    """Everything one worker uses to serve models."""

    missing: str | None
    gate: AdmissionGate
    sessions: LruCache[str, Any]
    predictions: LruCache[tuple[str, str], list[Prediction]]
    max_upload_bytes: int
    limits: ModelLimits
    _loading: dict[str, asyncio.Future[Any]] = field(default_factory=dict)
    _pending: int = 0

    @contextlib.contextmanager
    def admitted(self) -> Iterator[None]:
        """Admit one prediction request, or refuse it at once with `503 worker-busy`.

        At most `PENDING_PER_SLOT` requests per inference slot are past this point in a
        worker; the rest are refused before they cost a database read or a validation, so
        a prediction flood cannot crowd out the worker's other requests while it queues.
        """
        if self._pending >= PENDING_PER_SLOT * self.gate.slots:
            raise WorkerBusy(self.gate.name, 1)
        self._pending += 1
        try:
            yield
        finally:
            self._pending -= 1

    async def session(self, sha256: str, size: int, read: Callable[[], Awaitable[bytes]]) -> Any:
        """The loaded session of a model file, loading it (off the event loop) on a miss.

        Concurrent misses for one file share a single load instead of each building a copy.
        """
        cached = self.sessions.get(sha256)
        if cached is not None:
            return cached
        pending = self._loading.get(sha256)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._loading[sha256] = future
        try:
            data = await read()
            # The slot is held until the load really ends, even if this request is cancelled.
            session = await run_in_slot(
                self.gate, create_session, data, self.limits.arena_max_bytes
            )
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        finally:
            del self._loading[sha256]
        future.set_result(session)
        self.sessions.put(sha256, session, size)
        return session
