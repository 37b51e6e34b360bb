"""MongoDB wiring: the client, binding documents and creating their indexes, a timed ping."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC
from typing import Any

import pymongo
import structlog
from beanie import Document, init_beanie
from beanie.exceptions import CollectionWasNotInitialized
from beanie.odm.utils.typing import get_index_attributes
from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure, OperationFailure, PyMongoError

from service.core.config import Settings

log = structlog.get_logger(__name__)

NOT_IMPLEMENTED = 238  # server error code for a feature the server lacks

INDEX_BUILD_TIMEOUT_S = 600.0

MongoDatabase = AsyncDatabase[dict[str, Any]]


def create_client(settings: Settings) -> AsyncMongoClient[dict[str, Any]]:
    """Build the one client of this process; it connects lazily, on first use.

    `timeoutMS` (PyMongo's client-side operation timeout) bounds every operation, its
    retries included, outside requests too (background tasks, commands); requests run
    under one shared deadline of the same length (`service.http.deadline`). Server selection
    and connection set-up get the same bound, so a lost database is a quick 503 rather
    than PyMongo's 30 s default; a frozen one no longer waits for a socket timeout.
    """
    timeout = settings.mongodb_timeout_ms
    return AsyncMongoClient(
        settings.mongodb_url,
        tz_aware=True,
        tzinfo=UTC,
        timeoutMS=timeout,
        serverSelectionTimeoutMS=timeout,
        connectTimeoutMS=timeout,
        appname="users-service",
    )


def declared_indexes(model: type[Document]) -> list[IndexModel]:
    """The indexes a model declares: `Indexed(...)` fields plus `Settings.indexes`."""
    indexes: list[IndexModel] = []
    for name, field in model.model_fields.items():
        attributes = get_index_attributes(field)
        if attributes is not None:
            direction, options = attributes
            indexes.append(IndexModel([(field.alias or name, direction)], **options))
    indexes.extend(getattr(model.Settings, "indexes", []))
    return indexes


async def ensure_indexes(database: MongoDatabase, model: type[Document]) -> None:
    """Create each declared index that is missing, one command per index.

    Beanie sends them in one `createIndexes` batch; FerretDB 1.24 drops the connection
    when such a batch holds several indexes that already exist (see README), while one
    index per command works on it and on MongoDB alike.
    """
    collection = database[model.Settings.name]
    existing = await collection.index_information()
    for index in declared_indexes(model):
        if index.document["name"] not in existing:
            try:
                # Building an index over a large collection takes far longer than the
                # client's per-operation timeout. Only the build gets this long block:
                # under a CSOT block server selection waits for the block too, so a
                # database that is away must fail the quick reads before it instead.
                with pymongo.timeout(INDEX_BUILD_TIMEOUT_S):
                    await collection.create_indexes([index])
            except OperationFailure as exc:
                # FerretDB 1.24 has no TTL indexes. Expiry is also checked in every query
                # and the periodic purge deletes expired documents, so nothing is lost: a
                # known, documented gap of the development database, said once per process.
                if exc.code != NOT_IMPLEMENTED or "expireAfterSeconds" not in index.document:
                    raise
                _note_ttl_unsupported(collection.name, index.document["name"])


_ttl_gap_noted: list[bool] = []


def _note_ttl_unsupported(collection: str, index: str) -> None:
    if not _ttl_gap_noted:
        _ttl_gap_noted.append(True)
        log.info(
            "database.ttl_indexes_unsupported",
            note="the periodic purge deletes expired documents instead",
            docs="docs/ferretdb.md",
        )
    log.debug("database.index_unsupported", collection=collection, index=index)


async def bind_documents(database: MongoDatabase, models: list[type[Document]]) -> None:
    """Bind `models` to the database and create their indexes."""
    await init_beanie(database=database, document_models=models, skip_indexes=True)
    for model in models:
        await ensure_indexes(database, model)


async def ping(database: MongoDatabase, timeout_s: float) -> float:
    """Round-trip a `ping` within `timeout_s`; return its latency in milliseconds.

    Raises `TimeoutError` or a PyMongo error when the database does not answer.
    """
    started = time.perf_counter()
    # The driver's deadline ends the round trip cleanly; asyncio's is the backstop.
    with pymongo.timeout(timeout_s):
        async with asyncio.timeout(timeout_s + 0.1):
            await database.command("ping")
    return (time.perf_counter() - started) * 1000


# The failures `database_unavailable` judges. CollectionWasNotInitialized: the app started
# while MongoDB was down and is still retrying.
DATABASE_ERRORS = (PyMongoError, CollectionWasNotInitialized)


def database_unavailable(exc: Exception) -> bool:
    """Whether a database failure means "not now" (retry later) rather than a bug.

    Timeouts of every kind (`PyMongoError.timeout`: the request's deadline, network and
    server-side `maxTimeMS`, write concern, server selection) and lost connections
    (`ConnectionFailure`: `AutoReconnect`, `NetworkTimeout`, `ServerSelectionTimeoutError`,
    `NotPrimaryError`); and models not yet bound because MongoDB was down at start-up.
    """
    if isinstance(exc, CollectionWasNotInitialized | ConnectionFailure):
        return True
    return isinstance(exc, PyMongoError) and exc.timeout
