"""Failed logins are throttled per (account, client address) and per address, via MongoDB;
an attempt the server failed (503) never counts."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from pymongo.asynchronous.database import AsyncDatabase

from service.core.config import Settings
from service.http.client_address import client_address, parse_networks
from service.main import create_app
from service.observability.logging import configure_logging
from service.startup.documents import init_models
from tests.conftest import AppFactory
from tests.factories import DEFAULT_PASSWORD, user_session
from tests.races import race
from tests.secret_scan import SecretLedger, Tee


async def _attempt(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post("/auth/token", data={"username": username, "password": password})


async def test_sixth_failure_is_429_then_success_after_the_window(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, _ = await user_session(client)
    for _ in range(5):
        assert (await _attempt(client, user["username"], "wrong-password")).status_code == 401
    throttled = await _attempt(client, user["username"], "wrong-password")
    assert throttled.status_code == 429
    assert throttled.headers["content-type"] == "application/problem+json"
    assert 1 <= int(throttled.headers["retry-after"]) <= 900
    # Even the right password waits out the window.
    assert (await _attempt(client, user["username"], DEFAULT_PASSWORD)).status_code == 429

    # The window passes.
    await test_db["login_failures"].update_many(
        {}, {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}}
    )
    assert (await _attempt(client, user["username"], DEFAULT_PASSWORD)).status_code == 200
    assert await test_db["login_failures"].count_documents({}) == 0


async def test_a_success_resets_the_count(client: httpx.AsyncClient) -> None:
    user, _ = await user_session(client)
    for _ in range(4):
        await _attempt(client, user["username"], "wrong-password")
    assert (await _attempt(client, user["username"], DEFAULT_PASSWORD)).status_code == 200
    for _ in range(4):
        assert (await _attempt(client, user["username"], "wrong-password")).status_code == 401


async def test_throttle_is_per_name(client: httpx.AsyncClient) -> None:
    victim, _ = await user_session(client)
    other, _ = await user_session(client)
    for _ in range(6):
        await _attempt(client, victim["username"], "wrong-password")
    assert (await _attempt(client, other["username"], DEFAULT_PASSWORD)).status_code == 200


async def test_forwarded_for_is_believed_only_from_trusted_proxies() -> None:
    proxies = parse_networks(("10.0.0.0/8", "127.0.0.1"))
    assert client_address("203.0.113.9", "1.2.3.4", proxies) == "203.0.113.9"
    assert client_address("10.1.2.3", "198.51.100.7", proxies) == "198.51.100.7"
    assert client_address("10.1.2.3", "6.6.6.6, 198.51.100.7, 10.9.9.9", proxies) == "198.51.100.7"
    assert client_address("127.0.0.1", None, proxies) == "127.0.0.1"
    assert client_address(None, "1.2.3.4", proxies) == "unknown"
    assert client_address("10.1.2.3", "not-an-ip", proxies) == "not-an-ip"


def _from(started_app: LifespanManager, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=started_app.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_trimmed_cased_and_aliased_logins_share_one_counter(
    client: httpx.AsyncClient,
) -> None:
    user, _ = await user_session(client)
    name = user["username"]
    spellings = [f"  {name} ", name.upper(), user["email"], f"{user['email'].upper()}\t", name]
    for spelling in spellings:  # five failures, each spelt differently
        assert (await _attempt(client, spelling, "wrong-password")).status_code == 401
    assert (await _attempt(client, name, DEFAULT_PASSWORD)).status_code == 429


async def test_thirty_parallel_guesses_get_at_most_the_limit_of_password_checks(
    client: httpx.AsyncClient,
) -> None:
    user, _ = await user_session(client)
    statuses, _ = await race(30, lambda _: _attempt(client, user["username"], "wrong-password"))
    # Counting happens before the check, atomically: exactly five checks, never a 500.
    assert statuses == {401: 5, 429: 25}, statuses


async def test_a_stranger_elsewhere_cannot_lock_the_owner_out(
    client: httpx.AsyncClient, started_app: LifespanManager
) -> None:
    user, _ = await user_session(client)
    async with _from(started_app, "198.51.100.66") as stranger:
        for _ in range(8):
            await _attempt(stranger, user["username"], "wrong-password")
        assert (await _attempt(stranger, user["username"], DEFAULT_PASSWORD)).status_code == 429
    async with _from(started_app, "203.0.113.10") as owner:
        assert (await _attempt(owner, user["username"], DEFAULT_PASSWORD)).status_code == 200


async def test_one_address_spraying_many_accounts_is_stopped(app_with: AppFactory) -> None:
    async with app_with(login_max_failures_per_address=6) as sprayer:
        for i in range(6):
            response = await _attempt(sprayer, f"someone{i}", "wrong-password")
            assert response.status_code == 401
        blocked = await _attempt(sprayer, "someone-else", "wrong-password")
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) >= 1


@contextlib.asynccontextmanager
async def _busy_hashing(
    settings: Settings, suite: LifespanManager, ledger: SecretLedger, **changes: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A second app on the suite's own database whose one hashing slot is held busy until
    the block ends: every password check in it waits, and answers 503."""
    app = create_app(settings.model_copy(update={"hash_concurrency": 1, **changes}))
    configure_logging(settings.log_level, settings.log_format, stream=Tee(sys.stdout, ledger.log))
    entered, leave = threading.Event(), threading.Event()

    def occupy() -> None:
        entered.set()
        leave.wait()

    try:
        async with LifespanManager(app) as manager:
            gate = manager._state["app"].hasher.gate
            holder = asyncio.create_task(gate.run_sync(occupy))
            await asyncio.to_thread(entered.wait)  # the slot is taken: a barrier, not a sleep
            transport = httpx.ASGITransport(app=manager.app)
            try:
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://testserver", event_hooks=ledger.hooks()
                ) as busy:
                    yield busy
            finally:
                leave.set()
                await holder
    finally:
        await init_models(suite._state["app"].db.database)


async def test_a_correct_password_retried_through_worker_busy_is_never_locked_out(
    client: httpx.AsyncClient,
    settings: Settings,
    started_app: LifespanManager,
    ledger: SecretLedger,
) -> None:
    user, _ = await user_session(client)
    limit = settings.login_max_failures
    async with _busy_hashing(settings, started_app, ledger, hash_max_wait_s=0.05) as busy:
        for _ in range(3 * limit):
            response = await _attempt(busy, user["username"], DEFAULT_PASSWORD)
            assert response.status_code == 503, response.text
            assert response.json()["type"].endswith("worker-busy")
        # A burst at once: attempts in flight hold their places, so while `limit` of them
        # wait for a slot the rest get 429 (however the burst interleaves with the 503s).
        statuses, _ = await race(
            3 * limit, lambda _: _attempt(busy, user["username"], DEFAULT_PASSWORD)
        )
        assert set(statuses) <= {503, 429}, statuses
        assert statuses[503] >= limit, statuses
    # The machine is free again: none of it counted, the owner's password works at once.
    assert (await _attempt(client, user["username"], DEFAULT_PASSWORD)).status_code == 200


async def test_an_attempt_cut_off_by_the_request_deadline_does_not_count(
    client: httpx.AsyncClient,
    settings: Settings,
    started_app: LifespanManager,
    ledger: SecretLedger,
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    user, _ = await user_session(client)
    # The wait for a slot outlasts the request's deadline: the deadline cancels the login.
    changes = {"hash_max_wait_s": 30.0, "request_timeout_s": 0.5}
    async with _busy_hashing(settings, started_app, ledger, **changes) as busy:
        for _ in range(3 * settings.login_max_failures):
            response = await _attempt(busy, user["username"], DEFAULT_PASSWORD)
            assert response.status_code == 503, response.text
            assert response.json()["type"].endswith("request-timeout")
    # Nothing was counted as a failure.
    assert await test_db["login_failures"].count_documents({"failures": {"$gt": 0}}) == 0
    assert (await _attempt(client, user["username"], DEFAULT_PASSWORD)).status_code == 200


async def test_wrong_passwords_still_count_next_to_overloaded_attempts(
    client: httpx.AsyncClient,
    settings: Settings,
    started_app: LifespanManager,
    ledger: SecretLedger,
) -> None:
    user, _ = await user_session(client)
    limit = settings.login_max_failures
    for _ in range(limit - 1):
        assert (await _attempt(client, user["username"], "wrong-password")).status_code == 401
    async with _busy_hashing(settings, started_app, ledger, hash_max_wait_s=0.05) as busy:
        for _ in range(limit):
            assert (await _attempt(busy, user["username"], "wrong-password")).status_code == 503
    # The 503s were given back, the client's own failures were not: one more guess, then 429.
    assert (await _attempt(client, user["username"], "wrong-password")).status_code == 401
    assert (await _attempt(client, user["username"], "wrong-password")).status_code == 429
