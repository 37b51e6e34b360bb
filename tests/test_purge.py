"""Expired refresh tokens, login-failure windows, idempotency records and abandoned
registration claims are deleted; finished users never are."""

from __future__ import annotations

import asyncio
import io
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from service.core.tasks import stop
from service.startup.documents import EXPIRING_MODELS
from service.startup.purge import PurgePolicy, purge_expired, purge_periodically
from service.users.usernames import username_skeleton
from tests.test_metrics import _sample

COLLECTIONS = (
    "refresh_tokens",
    "login_failures",
    "idempotency_keys",
    "account_tokens",
    "mail_budget",
    "audit_events",
    "users",  # claims of registrations whose worker died (`service.users.creation`)
    "second_factors",
    "login_challenges",
    "passkey_challenges",
)


def _document(collection: str, n: int, expires_at: datetime) -> dict[str, Any]:
    # Shaped like what the service stores; the purge looks only at `expires_at`.
    base: dict[str, Any] = {"expires_at": expires_at}
    if collection == "refresh_tokens":
        return {
            **base,
            "token_hash": f"{n:064x}",
            "user_id": ObjectId(),
            "family_id": f"family-{n}",
            "created_at": expires_at,
        }
    if collection == "login_failures":
        return {**base, "key": f"{n:064x}", "failures": 1}
    if collection == "mail_budget":
        return {**base, "key": f"{n:064x}", "sent": 1}
    if collection == "account_tokens":
        return {**base, "token_hash": f"{n:064x}", "purpose": "reset_password", "email": "a@b.c"}
    if collection == "users":
        name = f"claim{n:05d}"
        return {
            **base,
            "username": name,
            "username_skeleton": username_skeleton(name),
            "email": f"{name}@example.com",
            "password_hash": "!unusable",
        }
    if collection == "audit_events":
        return {**base, "type": "login.succeeded", "user_id": ObjectId(), "at": expires_at}
    if collection == "second_factors":  # a pending enrolment nobody confirmed
        return {**base, "user_id": ObjectId(), "state": "pending", "sealed_secret": "v1.x.y"}
    if collection == "passkey_challenges":
        return {
            **base,
            "challenge_hash": f"{n:064x}",
            "purpose": "authentication",
            "any_user": True,
        }
    if collection == "login_challenges":
        return {**base, "challenge_hash": f"{n:064x}", "user_id": ObjectId(), "used": False}
    return {**base, "_id": f"{n:064x}", "fingerprint": "f", "resource_id": ObjectId()}


async def _seed(database: AsyncDatabase[dict[str, Any]], expired: int, live: int) -> None:
    now = datetime.now(UTC)
    for collection in COLLECTIONS:
        documents = [_document(collection, n, now - timedelta(minutes=1)) for n in range(expired)]
        documents += [
            _document(collection, expired + n, now + timedelta(hours=1)) for n in range(live)
        ]
        await database[collection].insert_many(documents)


async def _counts(database: AsyncDatabase[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    now = datetime.now(UTC)
    return {
        name: (
            await database[name].count_documents({"expires_at": {"$lte": now}}),
            await database[name].count_documents({"expires_at": {"$gt": now}}),
        )
        for name in COLLECTIONS
    }


async def test_one_pass_deletes_expired_documents_in_bounded_batches(
    started_app: LifespanManager,
    client: httpx.AsyncClient,
    test_db: AsyncDatabase[dict[str, Any]],
    log_output: io.StringIO,
) -> None:
    await _seed(test_db, expired=5, live=2)
    # A finished user carries no `expires_at` (shaped as stored, not sent through the API,
    # whose mails would add budget counters and tokens to the counts).
    claim = _document("users", 99, datetime.now(UTC))
    finished = {field: value for field, value in claim.items() if field != "expires_at"}
    await test_db["users"].insert_one(finished)
    before = (await client.get("/metrics")).text

    first = await purge_expired(EXPIRING_MODELS, 3, started_app._state["app"].metrics)
    assert first == dict.fromkeys(COLLECTIONS, 3)  # at most a batch per collection and pass
    assert await _counts(test_db) == dict.fromkeys(COLLECTIONS, (2, 2))
    second = await purge_expired(EXPIRING_MODELS, 3, started_app._state["app"].metrics)
    assert second == dict.fromkeys(COLLECTIONS, 2)
    assert await _counts(test_db) == dict.fromkeys(COLLECTIONS, (0, 2))  # the live ones stay
    assert await purge_expired(
        EXPIRING_MODELS, 3, started_app._state["app"].metrics
    ) == dict.fromkeys(COLLECTIONS, 0)

    after = (await client.get("/metrics")).text
    for name in COLLECTIONS:
        purged = _sample(after, "db_purged_total", collection=name)
        assert purged - _sample(before, "db_purged_total", collection=name) == 5
    events = [json.loads(line) for line in log_output.getvalue().splitlines()]
    runs = [event for event in events if event["event"] == "db.purged"]
    assert [run["total"] for run in runs] == [
        3 * len(COLLECTIONS),
        2 * len(COLLECTIONS),
        0,
    ]  # one event per pass, with counts
    assert runs[0]["deleted"] == dict.fromkeys(COLLECTIONS, 3)
    assert await test_db["users"].count_documents({"_id": finished["_id"]}) == 1


async def test_the_periodic_task_purges_and_stops_cleanly(
    started_app: LifespanManager, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    await _seed(test_db, expired=3, live=1)
    initialised = asyncio.Event()
    initialised.set()
    policy = PurgePolicy(interval_s=0.05, batch_size=100)
    task = asyncio.create_task(
        purge_periodically(EXPIRING_MODELS, initialised, policy, started_app._state["app"].metrics)
    )
    try:
        # Polled until purged; the cap only stops a task that never purges.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            if await _counts(test_db) == dict.fromkeys(COLLECTIONS, (0, 1)):
                break
        assert await _counts(test_db) == dict.fromkeys(COLLECTIONS, (0, 1))
        assert not task.done()  # still running, waiting for its next pass
    finally:
        await stop(task)
    assert task.cancelled()
