"""The counter store behind the limits: `limits`' async Redis storage, or memory for one process.

Redis is reached through redis-py's asyncio client (the `limits` "redispy" bridge), with a
short socket timeout and no client-side retries, so a dead or frozen Redis costs a
request at most one timeout; the limiter then fails open (see `limiter.py`).
"""

from __future__ import annotations

from typing import NamedTuple

from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from redis.asyncio import BlockingConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

# Requests wait (up to the timeout) for one of these rather than opening a connection
# each: a burst must not turn into thousands of Redis connections per worker.
MAX_CONNECTIONS_PER_WORKER = 32


class Store(NamedTuple):
    """A `limits` storage and, for Redis, the connection pool to close with it."""

    storage: Storage
    pool: BlockingConnectionPool | None


def build_storage(url: str, timeout_s: float) -> Store:
    """A `limits` async storage for `memory://` or `redis://` / `rediss://` URLs.

    Call it inside the running event loop: the memory storage starts a task at once.
    """
    if url.startswith("memory://"):
        return Store(MemoryStorage(), None)
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=MAX_CONNECTIONS_PER_WORKER,
        timeout=timeout_s,
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
        retry=Retry(NoBackoff(), 0),
    )
    storage = RedisStorage(
        f"async+{url}",
        implementation="redispy",
        wrap_exceptions=True,
        # Handed to redis.asyncio.Redis as is; `limits` types its options too narrowly.
        connection_pool=pool,  # type: ignore[arg-type]
    )
    return Store(storage, pool)


async def close_storage(store: Store) -> None:
    """Release the store's connections (memory storage: stop its expiry task)."""
    if store.pool is not None:
        await store.pool.disconnect()
    elif isinstance(store.storage, MemoryStorage) and store.storage.timer is not None:
        store.storage.timer.cancel()
