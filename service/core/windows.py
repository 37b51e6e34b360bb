"""Counters that live for a fixed window: one atomic upsert per hit, in MongoDB.

Shared by every worker and replica. A window that has passed but not yet been purged
(the TTL index is only a clean-up, and FerretDB has none) starts over; two first hits
racing to insert the counter meet the unique key, and the loser counts on the winner's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TypeVar

from beanie import Document
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

Counter = TypeVar("Counter", bound=Document)


async def upsert_window(
    document: type[Counter],
    key: str,
    update: Mapping[str, object],
    window_s: int,
    now: datetime,
    **on_insert: object,
) -> Counter:
    """Apply `update` to `key`'s counter (a `document` with a unique `key` and an
    `expires_at`), starting a new window when none is running; the counter after."""
    collection = document.get_pymongo_collection()
    await collection.delete_one({"key": key, "expires_at": {"$lte": now}})
    expires_at = now + timedelta(seconds=window_s)
    update = {**update, "$setOnInsert": {"expires_at": expires_at, **on_insert}}
    try:
        record = await collection.find_one_and_update(
            {"key": key}, update, upsert=True, return_document=ReturnDocument.AFTER
        )
    except DuplicateKeyError:
        record = await collection.find_one_and_update(
            {"key": key}, update, upsert=True, return_document=ReturnDocument.AFTER
        )
    assert record is not None  # noqa: S101 - an upsert always returns the document
    counter: Counter = document.model_validate(record)
    return counter
