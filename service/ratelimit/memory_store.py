"""Fixed-window hits counted in this process only: `RATE_LIMIT_STORAGE_URL=memory://`.

Each worker counts on its own, so N workers allow N times the limit: for development
and single-process deployments only.
"""

from __future__ import annotations

import time

# Keys kept at most; past it expired windows are dropped, then the oldest ones.
MEMORY_KEYS = 100_000


class MemoryStore:
    """The same answers as the Redis store (count, milliseconds left), from a dict."""

    def __init__(self) -> None:
        self._windows: dict[bytes, list[float]] = {}

    async def open(self) -> None:
        """Nothing to open."""

    async def close(self) -> None:
        """Forget every count."""
        self._windows.clear()

    async def hit(self, key: bytes, window_ms: int) -> tuple[int, int]:
        """Count one hit on `key`: the window's count so far and its milliseconds left."""
        now = time.monotonic()
        window = self._windows.get(key)
        if window is None or window[1] <= now:
            if window is None and len(self._windows) >= MEMORY_KEYS:
                self._evict(now)
            window = self._windows[key] = [0, now + window_ms / 1000]
        window[0] += 1
        return int(window[0]), max(1, int((window[1] - now) * 1000))

    def _evict(self, now: float) -> None:
        for key in [k for k, (_, reset_at) in self._windows.items() if reset_at <= now]:
            del self._windows[key]
        while len(self._windows) >= MEMORY_KEYS:
            del self._windows[next(iter(self._windows))]
