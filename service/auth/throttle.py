"""Failed-login counting in MongoDB, so the limit holds across workers and replicas."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from pymongo import ReturnDocument

from service.auth.errors import LoginThrottled
from service.auth.models import LoginFailures
from service.users.models import utc_now


def failure_key(login: str, client_ip: str) -> str:
    """Key of one (login name, client address) pair; hashed so no raw input is stored."""
    return hashlib.sha256(f"{login.lower()}\x00{client_ip}".encode()).hexdigest()


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds()) + 1)


async def check_allowed(key: str, max_failures: int) -> None:
    """Raise `LoginThrottled` while this pair has used up its failures in the window."""
    record = await LoginFailures.find_one({"key": key})
    now = utc_now()
    if record is not None and record.expires_at > now and record.failures >= max_failures:
        raise LoginThrottled(_seconds_until(record.expires_at, now))


async def record_failure(key: str, window_s: int) -> int:
    """Count one failure; the window starts at the first failure. Returns the count."""
    collection = LoginFailures.get_pymongo_collection()
    now = utc_now()
    # A window that has passed but not yet been reaped by the TTL monitor starts over.
    await collection.delete_one({"key": key, "expires_at": {"$lte": now}})
    record = await collection.find_one_and_update(
        {"key": key},
        {
            "$inc": {"failures": 1},
            "$setOnInsert": {"expires_at": now + timedelta(seconds=window_s)},
        },
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    return int(record["failures"]) if record else 1


async def clear_failures(key: str) -> None:
    """Forget the failures of this pair after a successful login."""
    await LoginFailures.get_pymongo_collection().delete_one({"key": key})
