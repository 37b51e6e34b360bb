"""Deciding each hit: the shared store's count, with what this worker knows as a pre-check.

Fixed windows counted in the store (`store.py`). Each worker also remembers, per key,
the highest count the store reported in the current window and when it resets:

- **Pre-check.** Once the store has said a window is spent, the worker refuses that
  key's further hits itself until the window resets: the store, whose counts only grow
  within a window, would refuse them too. A flood then costs no round trips at all.
- **Store unavailable.** A hit the store did not count (refused, lost, stalled, or down,
  see `store.py`) is decided from the worker's own count: admitted while that count is
  below the limit (and counted in `rate_limit_store_unavailable_total`), refused once it
  is spent. So a store outage is not an API outage, yet no worker ever admits more than
  the limit per key and window: with W workers in all, at most W times the limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from prometheus_client import CollectorRegistry, Counter

from service.ratelimit.policy import Policy
from service.ratelimit.store import StoreUnavailable

# Windows remembered per worker; beyond this the oldest are forgotten (and asked again).
WINDOWS_KEPT = 10_000


class Store(Protocol):
    """Where hits are counted: Redis (shared) or this process's memory."""

    async def open(self) -> None:
        """Get ready, inside the running event loop."""

    async def close(self) -> None:
        """Release connections."""

    async def hit(self, key: bytes, window_ms: int) -> tuple[int, int]:
        """Count one hit: the window's count so far and its milliseconds left."""


@dataclass(frozen=True, slots=True)
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
                "Requests admitted on this worker's own count: the store did not count them.",
                registry=registry,
            ),
        )


class _Window:
    __slots__ = ("count", "reset_at")

    def __init__(self, count: int, reset_at: float) -> None:
        self.count = count
        self.reset_at = reset_at


class RateLimiter:
    """Hits per (policy, identity) in a store shared by every worker and replica."""

    def __init__(self, store: Store, storage_url: str, *, metrics: RateLimitMetrics) -> None:
        self.store = store
        self.storage_url = storage_url
        self.metrics = metrics
        self._windows: dict[str, _Window] = {}

    async def open(self) -> None:
        """Open the store; called from the app's lifespan, inside its event loop."""
        await self.store.open()

    async def close(self) -> None:
        """Release the store's connections."""
        await self.store.close()

    async def hit(self, policy: Policy, identity: str) -> Decision | None:
        """Count one request; None when it was admitted without the store's count."""
        now = time.monotonic()
        key = policy.key_prefix + identity
        window = self._windows.get(key)
        if window is not None and window.count >= policy.amount and now < window.reset_at:
            return Decision(False, 0, window.reset_at - now)
        try:
            count, ttl_ms = await self.store.hit(key.encode(), policy.window_ms)
        except StoreUnavailable:
            return self._unchecked(key, policy)
        # From the time the hit was sent: never later than the store's own reset.
        reset_at = now + ttl_ms / 1000
        self._remember(key, count, reset_at)
        return Decision(count <= policy.amount, policy.amount - count, reset_at - time.monotonic())

    def _remember(self, key: str, count: int, reset_at: float) -> None:
        window = self._windows.get(key)
        if window is None:
            if len(self._windows) >= WINDOWS_KEPT:
                del self._windows[next(iter(self._windows))]
            self._windows[key] = _Window(count, reset_at)
        elif count > window.count or count == 1 or time.monotonic() >= window.reset_at:
            # A higher count, or a new window; an older reply arriving late changes nothing.
            window.count = count
            window.reset_at = reset_at

    def _unchecked(self, key: str, policy: Policy) -> Decision | None:
        now = time.monotonic()
        window = self._windows.get(key)
        if window is None or now >= window.reset_at:
            self._remember(key, 0, now + policy.window_s)
            window = self._windows[key]
        if window.count >= policy.amount:
            return Decision(False, 0, window.reset_at - now)
        window.count += 1
        self.metrics.unchecked.inc()
        return None
