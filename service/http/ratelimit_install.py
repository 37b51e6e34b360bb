"""Build rate limiting for an app: the gate the middleware applies, its counters, its
store's lifetime."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import structlog
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from service.core.config import Settings
from service.core.setting_types import Environment
from service.http.client_address import parse_networks
from service.http.paths import RouteGroup
from service.http.ratelimit import RateLimitGate, build_policies
from service.ratelimit.limiter import RateLimiter, RateLimitMetrics, Store
from service.ratelimit.memory_store import MemoryStore
from service.ratelimit.store import RedisStore

log = structlog.get_logger(__name__)

Lifespan = Callable[[FastAPI], contextlib.AbstractAsyncContextManager[Any]]


def rate_limit_gate(settings: Settings, registry: CollectorRegistry) -> RateLimitGate | None:
    """The rate-limit gate the settings ask for (None when disabled), counting in `registry`."""
    if not settings.rate_limit_enabled:
        return None
    url = settings.rate_limit_storage_url
    store: Store = (
        MemoryStore()
        if url.startswith("memory://")
        else RedisStore(
            url,
            timeout_s=settings.rate_limit_store_timeout_ms / 1000,
            failures=settings.rate_limit_store_failures,
            retry_s=settings.rate_limit_store_retry_s,
        )
    )
    limiter = RateLimiter(store, url, metrics=RateLimitMetrics.on(registry))
    policies = build_policies(
        {
            RouteGroup.AUTH: settings.rate_limit_auth,
            RouteGroup.READ: settings.rate_limit_read,
            RouteGroup.WRITE: settings.rate_limit_write,
            RouteGroup.AVATAR: settings.rate_limit_avatar,
            RouteGroup.INFERENCE: settings.rate_limit_inference,
        }
    )
    return RateLimitGate(
        limiter=limiter,
        policies=policies,
        trusted_proxies=parse_networks(tuple(settings.trusted_proxies)),
        ipv6_prefix=settings.rate_limit_ipv6_prefix,
    )


def with_rate_limiter(
    lifespan: Lifespan, limiter: RateLimiter | None, settings: Settings
) -> Lifespan:
    """`lifespan`, with the limiter's store opened before it and closed after it."""
    if limiter is None:
        return lifespan

    @contextlib.asynccontextmanager
    async def lifespan_with_limiter(app: FastAPI) -> AsyncIterator[Any]:
        await limiter.open()
        if limiter.storage_url.startswith("memory://"):
            # Each worker would count on its own: N workers allow N times the limit.
            level = "warning" if settings.environment is Environment.PRODUCTION else "info"
            getattr(log, level)("ratelimit.per_process_counts", storage="memory")
        try:
            async with lifespan(app) as state:
                yield state
        finally:
            await limiter.close()

    return lifespan_with_limiter
