"""Registrations claim username and email before hashing: the unique indexes decide first.

Losers of a race are refused before they queue for a hashing slot, so one contested name
costs one hash however many ask for it; a claim is never a user anyone can see or log in
as, and a registration that fails or is cancelled after its claim leaves nothing behind.

Hashes are counted, and held, by the fixtures of `tests.users.hashing`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from beanie import PydanticObjectId
from pymongo.asynchronous.database import AsyncDatabase

from service.core.config import Settings
from service.users.schemas import UserCreate
from service.users.usernames import username_skeleton
from tests.factories import DEFAULT_PASSWORD, login, user_payload, user_session
from tests.races import race
from tests.secret_scan import SecretLedger
from tests.users.hashing import busy_worker, slot_taken

PARALLEL = 20


async def _contested(
    app: httpx.AsyncClient, payload: Callable[[int], dict[str, Any]]
) -> tuple[list[int], list[httpx.Response]]:
    counts, responses = await race(PARALLEL, lambda i: app.post("/users", json=payload(i)))
    return sorted(counts.elements()), responses


async def test_twenty_registrations_of_one_username_hash_once_on_abusy_worker(
    settings: Settings,
    started_app: LifespanManager,
    ledger: SecretLedger,
    test_db: AsyncDatabase[dict[str, Any]],
    hashes: list[str],
) -> None:
    # Had each of the twenty queued for the one hashing slot before the index refused
    # it, most would wait longer than 50 ms and answer 503.
    async with busy_worker(settings, started_app, ledger) as (app, _):
        statuses, responses = await _contested(app, lambda i: user_payload(username="contested"))
    assert statuses == [201] + [409] * (PARALLEL - 1), statuses
    for response in responses:
        if response.status_code == 409:
            assert response.json()["errors"][0]["loc"] == ["body", "username"]
    assert len(hashes) == 1
    assert await test_db["users"].count_documents({"username": "contested"}) == 1


async def test_twenty_registrations_of_one_email_hash_once(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]], hashes: list[str]
) -> None:
    statuses, responses = await _contested(
        client, lambda i: user_payload(email="shared@example.com")
    )
    assert statuses == [201] + [409] * (PARALLEL - 1), statuses
    conflicts = [r.json()["errors"][0]["loc"] for r in responses if r.status_code == 409]
    assert all(loc == ["body", "email"] for loc in conflicts)
    assert len(hashes) == 1
    assert await test_db["users"].count_documents({"email": "shared@example.com"}) == 1


async def _wait_until(check: Callable[[], Awaitable[bool]], cap_s: float = 60.0) -> None:
    """Poll `check` until it holds (a generous cap: only a broken service reaches it)."""
    deadline = time.monotonic() + cap_s
    while not await check():
        assert time.monotonic() < deadline, "condition never held"
        await asyncio.sleep(0.02)


async def test_a_claim_is_no_user_until_its_hash_is_stored(
    client: httpx.AsyncClient,
    test_db: AsyncDatabase[dict[str, Any]],
    held_hash: tuple[asyncio.Event, asyncio.Event],
) -> None:
    started, release = held_hash
    release.set()  # the caller's own registration hashes freely; then the hold begins
    _, auth = await user_session(client)
    release.clear()
    started.clear()
    payload = user_payload(username="halfway", email="halfway@example.com")
    registering = asyncio.create_task(client.post("/users", json=payload))
    await started.wait()  # claimed, now hashing
    claim = await test_db["users"].find_one({"username": "halfway"})
    assert claim is not None
    assert claim["expires_at"] is not None
    # Nobody sees it, nobody logs in as it, and the name and address are held.
    listed = (await client.get("/users", params={"q": "halfway"}, headers=auth)).json()
    assert listed == []
    one = await client.get(f"/users/{claim['_id']}", headers=auth)
    assert one.status_code == 404
    form = {"username": "halfway", "password": DEFAULT_PASSWORD}
    assert (await client.post("/auth/token", data=form)).status_code == 401
    again = await client.post("/users", json=user_payload(email="halfway@example.com"))
    assert again.status_code == 409
    release.set()
    created = await registering
    assert created.status_code == 201, created.text
    assert created.json()["id"] == str(claim["_id"])
    stored = await test_db["users"].find_one({"_id": claim["_id"]})
    assert stored is not None
    assert stored.get("expires_at") is None
    await login(client, "halfway")


async def test_a_hash_refused_after_the_claim_leaves_no_user(
    settings: Settings,
    started_app: LifespanManager,
    ledger: SecretLedger,
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    payload = user_payload(username="unlucky", email="unlucky@example.com")
    async with busy_worker(settings, started_app, ledger) as (app, gate):
        async with slot_taken(gate):
            refused = await app.post("/users", json=payload)
        assert refused.status_code == 503, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"].endswith("worker-busy")
        assert "retry-after" in refused.headers
        # No trace: neither a user nor a claim holds the name or the address.
        either = {"$or": [{"username": "unlucky"}, {"email": "unlucky@example.com"}]}
        assert await test_db["users"].count_documents(either) == 0
        # So the same registration, sent again, goes through.
        created = await app.post("/users", json=payload)
        assert created.status_code == 201, created.text
        await login(app, "unlucky")


async def test_a_registration_cancelled_while_hashing_leaves_no_user(
    client: httpx.AsyncClient,
    test_db: AsyncDatabase[dict[str, Any]],
    held_hash: tuple[asyncio.Event, asyncio.Event],
) -> None:
    started, release = held_hash
    payload = user_payload(username="walkaway", email="walkaway@example.com")
    registering = asyncio.create_task(client.post("/users", json=payload))
    await started.wait()
    assert await test_db["users"].count_documents({"username": "walkaway"}) == 1  # the claim
    registering.cancel()  # the client went away (or the request deadline ended it)
    with contextlib.suppress(asyncio.CancelledError):
        await registering

    async def gone() -> bool:
        return await test_db["users"].count_documents({"username": "walkaway"}) == 0

    await _wait_until(gone)  # the removal runs shielded, past the cancellation
    release.set()
    created = await client.post("/users", json=payload)
    assert created.status_code == 201, created.text


async def test_a_claim_removed_before_its_hash_is_stored_stores_nothing(
    client: httpx.AsyncClient,
    test_db: AsyncDatabase[dict[str, Any]],
    held_hash: tuple[asyncio.Event, asyncio.Event],
) -> None:
    started, release = held_hash
    payload = user_payload(username="expired", email="expired@example.com")
    registering = asyncio.create_task(client.post("/users", json=payload))
    await started.wait()
    # What the TTL index or the purge does to a claim whose worker seemed dead.
    removed = await test_db["users"].delete_one({"username": "expired"})
    assert removed.deleted_count == 1
    release.set()
    response = await registering
    assert response.status_code == 503, response.text
    assert response.json()["type"].endswith("registration-interrupted")
    assert await test_db["users"].count_documents({"username": "expired"}) == 0


async def test_a_retry_under_the_same_id_takes_over_an_abandoned_claim(
    started_app: LifespanManager, test_db: AsyncDatabase[dict[str, Any]], hashes: list[str]
) -> None:
    # An idempotent registration fixes the user's id; an earlier attempt whose worker died
    # mid-hash left its claim under that id. The retry replaces it and finishes.
    state = started_app._state["app"]
    data = UserCreate.model_validate(user_payload(username="resumed"))
    user_id = PydanticObjectId()
    abandoned = {
        "_id": user_id,
        "username": "resumed",
        "username_skeleton": username_skeleton("resumed"),
        "email": data.email,
        "password_hash": "!abandoned-claim-marker",
        "expires_at": datetime.now(UTC) + timedelta(minutes=5),
    }
    await test_db["users"].insert_one(abandoned)
    user = await state.users.create_user(data, state.hasher, user_id=user_id)
    assert user.id == user_id
    assert user.expires_at is None
    assert len(hashes) == 1
    stored = await test_db["users"].find_one({"_id": user_id})
    assert stored is not None
    assert stored.get("expires_at") is None
    assert await state.hasher.verify(DEFAULT_PASSWORD, stored["password_hash"])
