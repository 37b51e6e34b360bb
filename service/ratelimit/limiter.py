"""Counting hits in the shared store, and what happens when the store is unreachable.

Fixed windows: one atomic `INCR` (with `EXPIRE` on a window's first hit) per request,
which is what `limits`' `FixedWindowRateLimiter.hit` does; the count it returns is kept
so the remaining quota needs no second round trip. A window's expiry is set once, at its
first hit, and never moves, so each worker remembers it per key and asks the store for
the TTL only the first time it meets a window another worker opened.

When the store fails (refused, timed out, or out of pooled connections), the request is
let through unchecked: a rate limiter must not turn a Redis outage into an API outage.
The failure is logged once as `ratelimit.store_unavailable`, counted in
`rate_limit_store_unavailable_total` for every unchecked request, and the store is left
alone for `retry_s`, so a dead Redis costs one timeout per worker per `retry_s`, not one
per request.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

import structlog
from limits.aio.storage import Storage
from limits.errors import StorageError
from prometheus_client import CollectorRegistry, Counter

from service.ratelimit.policy import Policy
from service.ratelimit.store import Store, build_storage, close_storage

log = structlog.get_logger(__name__)

# Window expiries remembered per worker; beyond this the oldest are forgotten (and at
# worst asked for again).
RESETS_KEPT = 10_000


@dataclass(frozen=True)
class Decision:
    """The outcome of one hit: admitted or not, what remains, when the window resets."""

    allowed: bool
    remaining: int
    reset_s: float


@dataclass(frozen=True)
class RateLimitMetrics:
    """Counters an operator alerts on: refusals by group, and requests let through unchecked."""

    rejected: Counter
    unchecked: Counter

    @classmethod
    def on(cls, registry: CollectorRegistry) -> RateLimitMetrics:
        """Create the counters in `registry`."""
        return cls(
            rejected=Counter(
                "rate_limit_rejections",
                "Requests refused with 429, by route group.",
                ["group"],
                registry=registry,
            ),
            unchecked=Counter(
                "rate_limit_store_unavailable",
                "Requests let through unchecked because the rate-limit store was unreachable.",
                registry=registry,
            ),
        )


class RateLimiter:
    """Hits per (policy, identity) in a store shared by every worker and replica."""

    def __init__(
        self, storage_url: str, *, timeout_s: float, retry_s: float, metrics: RateLimitMetrics
    ) -> None:
        self.storage_url = storage_url
        self.timeout_s = timeout_s
        self.retry_s = retry_s
        self.metrics = metrics
        self._store: Store | None = None
        self._down_until = 0.0
        self._down = False
        self._resets: OrderedDict[str, float] = OrderedDict()

    async def open(self) -> None:
        """Create the store client; called from the app's lifespan, inside its event loop."""
        self._store = build_storage(self.storage_url, self.timeout_s)

    async def close(self) -> None:
        """Release the store's connections."""
        if self._store is not None:
            await close_storage(self._store)
            self._store = None

    async def hit(self, policy: Policy, identity: str) -> Decision | None:
        """Count one request; None when the store is unavailable (the request goes through)."""
        now = time.monotonic()
        if self._store is None or now < self._down_until:
            self.metrics.unchecked.inc()
            return None
        storage = self._store.storage
        key = policy.item.key_for(policy.group.value, identity)
        window_s = policy.window_s
        try:
            count = await storage.incr(key, window_s)
            reset_at = await self._reset_at(storage, key, count, now, window_s)
        except (StorageError, OSError, TimeoutError) as exc:
            self._failed(exc)
            return None
        if self._down:
            self._down = False
            log.info("ratelimit.store_recovered")
        amount = policy.item.amount
        return Decision(count <= amount, amount - count, reset_at - time.monotonic())

    async def _reset_at(
        self, storage: Storage, key: str, count: int, now: float, window_s: int
    ) -> float:
        if count == 1:  # this hit opened the window, and the store set its expiry now
            reset_at = now + window_s
        else:
            known = self._resets.get(key)
            if known is not None and known > now:
                return known
            expires_at = await storage.get_expiry(key)  # wall-clock seconds
            reset_at = now + max(0.0, expires_at - time.time())
        self._resets[key] = reset_at
        self._resets.move_to_end(key)
        if len(self._resets) > RESETS_KEPT:
            self._resets.popitem(last=False)
        return reset_at

    def _failed(self, exc: Exception) -> None:
        self.metrics.unchecked.inc()
        self._down_until = time.monotonic() + self.retry_s
        if not self._down:
            self._down = True
            cause = exc.__cause__ or exc
            log.warning(
                "ratelimit.store_unavailable",
                error_type=type(cause).__name__,
                fail_open=True,
                retry_in_s=self.retry_s,
            )
