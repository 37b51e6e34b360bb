"""Login throttling in MongoDB, so the limits hold across workers and replicas.

Two counters guard every password check (OWASP's advice against lockouts a stranger can
trigger): one per (account, client address) pair with a small limit, so guessing one
account from one address stops quickly while its owner, elsewhere, still logs in; and one
per client address across all accounts with a larger limit, against one address spraying
many accounts. An attempt is counted *before* the password is checked, in one atomic
increment, so N parallel guesses get at most `limit` checks however they interleave; a
successful login takes its attempt back.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from service.auth.errors import LoginThrottled
from service.auth.models import LoginFailures
from service.kernel.clock import utc_now


def normalise_login(login: str) -> str:
    """The form a login name is looked up and counted in: NFKC, trimmed, lower-case."""
    return unicodedata.normalize("NFKC", login).strip().lower()


def account_key(account: str, client_ip: str) -> str:
    """Key of one (account, client address) pair; hashed so no raw input is stored."""
    return hashlib.sha256(f"account\x00{account}\x00{client_ip}".encode()).hexdigest()


def address_key(client_ip: str) -> str:
    """Key of one client address across every account."""
    return hashlib.sha256(f"address\x00{client_ip}".encode()).hexdigest()


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds()) + 1)


async def _increment(key: str, window_s: int, now: datetime) -> dict[str, Any]:
    collection = LoginFailures.get_pymongo_collection()
    # A window that has passed but not yet been purged starts over.
    await collection.delete_one({"key": key, "expires_at": {"$lte": now}})
    update = {
        "$inc": {"failures": 1},
        "$setOnInsert": {"expires_at": now + timedelta(seconds=window_s)},
    }
    try:
        record = await collection.find_one_and_update(
            {"key": key}, update, upsert=True, return_document=ReturnDocument.AFTER
        )
    except DuplicateKeyError:
        # Two first attempts raced to insert the counter; the other one did: count on it.
        record = await collection.find_one_and_update(
            {"key": key}, update, upsert=True, return_document=ReturnDocument.AFTER
        )
    assert record is not None  # noqa: S101 - an upsert always returns the document
    return dict(record)


async def count_attempt(key: str, limit: int, window_s: int) -> None:
    """Count one attempt; raise `LoginThrottled` if it is over `limit` in the window."""
    now = utc_now()
    record = await _increment(key, window_s, now)
    if int(record["failures"]) > limit:
        raise LoginThrottled(_seconds_until(record["expires_at"], now))


def mail_key(email: str, client_ip: str) -> str:
    """Key of account mails (verification, reset) asked for one address from one client."""
    return hashlib.sha256(f"mail\x00{email}\x00{client_ip}".encode()).hexdigest()


async def seconds_over_limit(key: str, limit: int, window_s: int) -> int | None:
    """Count one request; None while within `limit`, else the seconds until the window ends."""
    now = utc_now()
    record = await _increment(key, window_s, now)
    if int(record["failures"]) > limit:
        return _seconds_until(record["expires_at"], now)
    return None


async def forgive(pair: str, address: str) -> None:
    """After a successful login: the pair starts afresh, the address gets its attempt back."""
    collection = LoginFailures.get_pymongo_collection()
    await collection.delete_one({"key": pair})
    await collection.update_one({"key": address}, {"$inc": {"failures": -1}})
    await collection.delete_one({"key": address, "failures": {"$lte": 0}})
