"""The limiter's own CPU per request, in-process: its middleware around an empty ASGI app.

The whole-server figures of `bench/ratelimit_cost.py` carry the noise of a shared machine
(a few per cent between identical runs); this one measures only what the limiter adds:
the process CPU time of N requests through the service middleware with its rate-limit
gate (route group, identity from a real token, the hit in a real Redis or in memory,
headers) minus the same requests through the middleware without it, at the same
concurrency, under uvloop as uvicorn runs it.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from types import SimpleNamespace
from typing import Any

import uvloop
from prometheus_client import CollectorRegistry

from service.http.paths import RouteGroup
from service.http.pipeline import ServiceMiddleware
from service.http.ratelimit import RateLimitGate, build_policies
from service.ratelimit.limiter import RateLimiter, RateLimitMetrics, Store
from service.ratelimit.memory_store import MemoryStore
from service.ratelimit.store import RedisStore

REQUESTS = 20_000


async def _empty_app(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def _cpu_us(url: str | None, scope: dict[str, Any], concurrency: int) -> float:
    app: Any = _empty_app
    limiter = gate = None
    if url is not None:
        store: Store = (
            MemoryStore()
            if url == "memory://"
            else RedisStore(url, timeout_s=0.5, failures=3, retry_s=1)
        )
        limiter = RateLimiter(store, url, metrics=RateLimitMetrics.on(CollectorRegistry()))
        await limiter.open()
        policies = build_policies(dict.fromkeys(RouteGroup, "1000000000/hour"))
        gate = RateLimitGate(limiter=limiter, policies=policies, trusted_proxies=(), ipv6_prefix=64)
    app = ServiceMiddleware(app, access_log=False, rate_limit=gate)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        return None

    async def client(count: int) -> None:
        for _ in range(count):
            await app(scope, receive, send)

    started = time.process_time()
    await asyncio.gather(*(client(REQUESTS // concurrency) for _ in range(concurrency)))
    cpu = time.process_time() - started
    if limiter is not None:
        await limiter.close()
    return cpu / REQUESTS * 1e6


def limiter_cpu_us(
    redis_url: str, path: str, headers: dict[str, str], tokens: Any, concurrency: int, rounds: int
) -> dict[str, float]:
    """Median µs of CPU the limiter adds per request: on Redis one at a time (each hit its
    own write and read), on Redis at `concurrency` (hits of one loop turn share them), and
    on memory."""
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 40000),
        "state": {"app": SimpleNamespace(tokens=tokens)},
    }
    variants = {"redis 1": (redis_url, 1), "redis": (redis_url, concurrency)}
    variants["memory"] = ("memory://", concurrency)
    added: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, (url, parallel) in variants.items():
            bare = uvloop.run(_cpu_us(None, scope, parallel))
            added[name].append(uvloop.run(_cpu_us(url, scope, parallel)) - bare)
    return {name: statistics.median(values) for name, values in added.items()}
