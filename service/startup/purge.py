"""Deleting expired documents where no TTL index does it (FerretDB), in bounded batches.

Refresh tokens, login-failure windows and idempotency records carry `expires_at` and a
TTL index on it; MongoDB's TTL monitor deletes them about once a minute. FerretDB has no
TTL monitor, so without this they would pile up forever. Every read already ignores
expired documents, so this is about space, not correctness; on MongoDB it only finds
what the monitor has not reached yet, which makes it harmless there.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import structlog
from beanie import Document
from pymongo.errors import PyMongoError

from service.core.clock import utc_now
from service.core.tasks import raise_if_cancelled
from service.observability.counters import BusinessMetrics

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class PurgePolicy:
    """How often to purge and the most documents deleted per collection in one pass."""

    interval_s: float
    batch_size: int


async def purge_collection(model: type[Document], batch_size: int) -> int:
    """Delete up to `batch_size` expired documents of one collection; return how many."""
    collection = model.get_pymongo_collection()
    now = utc_now()
    expired = {"expires_at": {"$lte": now}}
    # delete_many has no limit: pick a bounded batch of ids, then delete exactly those
    # (still only if expired, in case one was renewed in between).
    cursor = collection.find(expired, {"_id": 1}).limit(batch_size)
    ids = [doc["_id"] async for doc in cursor]
    if not ids:
        return 0
    result = await collection.delete_many({"_id": {"$in": ids}, **expired})
    return result.deleted_count


async def purge_expired(
    models: list[type[Document]], batch_size: int, metrics: BusinessMetrics
) -> dict[str, int]:
    """One pass over `models`: delete expired documents, count and log them per collection."""
    counts: dict[str, int] = {}
    for model in models:
        name = model.get_collection_name()
        counts[name] = await purge_collection(model, batch_size)
        if counts[name]:
            metrics.db_purged.labels(name).inc(counts[name])
    log.info("db.purged", deleted=counts, total=sum(counts.values()))
    return counts


async def purge_periodically(
    models: list[type[Document]],
    initialised: asyncio.Event,
    policy: PurgePolicy,
    metrics: BusinessMetrics,
) -> None:
    """Run `purge_expired` every `policy.interval_s` seconds until cancelled."""
    while True:
        raise_if_cancelled()
        await asyncio.sleep(policy.interval_s)
        if not initialised.is_set():  # the models are not bound while MongoDB is away
            continue
        try:
            await purge_expired(models, policy.batch_size, metrics)
        except PyMongoError as exc:  # the database is away: try again next time
            log.warning("db.purge_failed", error_type=type(exc).__name__)
