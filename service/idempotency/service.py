"""Claiming an idempotency key, storing the outcome, replaying it. No HTTP in here.

The first request with a key inserts a claim; the `_id` index lets exactly one insert
win, however many requests race. A retry finds the claim and gets, in this order: a
refusal if its content differs, the stored answer if there is one, a "still in progress"
while the first request may still be writing, or the claim itself once that lease has
run out (the first request failed or died), to finish the work under the same resource id.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from beanie import PydanticObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError, PyMongoError

from service.core.clock import utc_now
from service.idempotency.errors import IdempotencyInProgress, IdempotencyKeyReused
from service.idempotency.models import IdempotencyRecord, StoredResponse

log = structlog.get_logger(__name__)

# Claim attempts before giving up with "in progress": each lost round means another
# request changed the record in between, which cannot go on for long.
_ATTEMPTS = 3


@dataclass(frozen=True)
class IdempotencyPolicy:
    """How long answers are kept, and how long a first request holds its key."""

    ttl: timedelta
    # At least the request's database deadline: once it has passed, the first request
    # can no longer write, so a retry may safely take over.
    lease: timedelta


@dataclass(frozen=True)
class Claim:
    """The right to perform the request named by a key, and the id its resource gets."""

    record_id: str
    resource_id: PydanticObjectId
    # True when an earlier attempt held the key and failed: it may have written already.
    resumed: bool


def record_id(operation: str, caller: str, key: str) -> str:
    """The stored id of a key: bound to the operation and the caller, never the raw key."""
    return hashlib.sha256(f"{operation}\x00{caller}\x00{key}".encode()).hexdigest()


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


async def claim(record: str, fingerprint: str, policy: IdempotencyPolicy) -> Claim | StoredResponse:
    """Claim `record` for this request, or return the answer already stored for it.

    Raises `IdempotencyKeyReused` when the key was used for other content, and
    `IdempotencyInProgress` while an earlier request with the key may still be running.
    """
    collection = IdempotencyRecord.get_pymongo_collection()
    for _ in range(_ATTEMPTS):
        now = utc_now()
        resource_id = PydanticObjectId()
        try:
            await collection.insert_one(
                {
                    "_id": record,
                    "fingerprint": fingerprint,
                    "resource_id": resource_id,
                    "lease_expires_at": now + policy.lease,
                    "response": None,
                    "created_at": now,
                    "expires_at": now + policy.ttl,
                }
            )
        except DuplicateKeyError:
            pass
        else:
            return Claim(record, resource_id, resumed=False)
        stored = await collection.find_one({"_id": record})
        if stored is None:  # expired and deleted since the insert failed: claim again
            continue
        found = IdempotencyRecord.model_validate(stored)
        if found.expires_at <= now:
            # Past its window but not yet deleted (FerretDB has no TTL monitor).
            await collection.delete_one({"_id": record, "expires_at": {"$lte": now}})
            continue
        outcome = await _existing(found, fingerprint, policy, now)
        if outcome is not None:
            return outcome
    raise IdempotencyInProgress(1)


async def _existing(
    found: IdempotencyRecord, fingerprint: str, policy: IdempotencyPolicy, now: datetime
) -> Claim | StoredResponse | None:
    """What a retry gets from an existing record; None when it changed meanwhile."""
    if found.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    if found.response is not None:
        log.info("idempotency.replayed", status=found.response.status)
        return found.response
    lease_expires_at = found.lease_expires_at
    if lease_expires_at is not None and lease_expires_at > now:
        raise IdempotencyInProgress(_seconds_until(lease_expires_at, now))
    # The first attempt's lease ran out without an answer: take over, unless another
    # retry just did (the update matches only the lease that was read).
    taken = await IdempotencyRecord.get_pymongo_collection().find_one_and_update(
        {"_id": found.id, "response": None, "lease_expires_at": lease_expires_at},
        {"$set": {"lease_expires_at": now + policy.lease}},
        return_document=ReturnDocument.AFTER,
    )
    if taken is None:
        return None
    log.info("idempotency.resumed")
    return Claim(found.id, found.resource_id, resumed=True)


async def complete(held: Claim, response: StoredResponse) -> None:
    """Store the answer of a claimed request; every later retry gets exactly this."""
    await IdempotencyRecord.get_pymongo_collection().update_one(
        {"_id": held.record_id, "response": None},
        {"$set": {"response": response.model_dump(), "lease_expires_at": None}},
    )


async def release(held: Claim) -> None:
    """End the lease of a request that failed, so a retry may take over at once.

    Best effort: when the database is what failed, this fails too and the lease simply
    runs out. The record keeps its resource id either way.
    """
    try:
        await IdempotencyRecord.get_pymongo_collection().update_one(
            {"_id": held.record_id, "response": None},
            {"$set": {"lease_expires_at": utc_now()}},
        )
    except PyMongoError as exc:
        log.info("idempotency.release_failed", error_type=type(exc).__name__)
