"""The failure policy: when the audit trail cannot be written, the action is refused (503)
and leaves no trace; no action happens without its event.

The database is reached through a proxy that cuts the connection whenever the app sends an
insert into `audit_events` (that insert never reaches the database); every other command
passes, so the action's own writes would have worked.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from bson import ObjectId
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.uri_parser import parse_uri

from scripts.localdb import LocalServer
from tests.accounts.faults import password_works
from tests.audit.cutting_proxy import CommandCuttingProxy
from tests.factories import DEFAULT_PASSWORD, bearer, create_user, login, make_admin
from tests.own_app import own_app, own_settings
from tests.secret_scan import SecretLedger
from tests.test_metrics import _sample

NEW_PASSWORD = "never-stored-password-9"


def audit_insert(command: dict[str, Any]) -> bool:
    """The insert of an audit event."""
    return command.get("insert") == "audit_events"


@contextlib.asynccontextmanager
async def trail_cut_app(
    mongo_server: LocalServer, suite: LifespanManager, ledger: SecretLedger
) -> AsyncIterator[tuple[httpx.AsyncClient, CommandCuttingProxy, AsyncDatabase[dict[str, Any]]]]:
    """An app whose audit inserts can be cut off; and a direct handle on its database."""
    (upstream,) = parse_uri(mongo_server.url)["nodelist"]
    proxy = CommandCuttingProxy(upstream, audit_insert)
    settings = own_settings(await proxy.start(), mongodb_timeout_ms=2000)
    direct: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_server.url, tz_aware=True)
    try:
        async with own_app(settings, suite, ledger) as client:
            yield client, proxy, direct[settings.mongodb_db]
    finally:
        await proxy.close()
        await direct.drop_database(settings.mongodb_db)
        await direct.close()


def assert_refused(response: httpx.Response) -> None:
    """A 503 problem saying the trail is unavailable and nothing was done."""
    assert response.status_code == 503, response.status_code  # a 200 body holds tokens
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    assert response.json()["type"].endswith("audit-unavailable")


async def test_without_the_trail_every_security_action_is_refused_and_leaves_no_trace(
    mongo_server: LocalServer, started_app: LifespanManager, ledger: SecretLedger
) -> None:
    async with trail_cut_app(mongo_server, started_app, ledger) as (client, proxy, database):
        user = await create_user(client)
        name = user["username"]
        tokens = await login(client, name)
        await make_admin(client)  # the client's default token is the admin's from here
        owner = {"user_id": ObjectId(user["id"])}

        proxy.cut = True
        for password in (DEFAULT_PASSWORD, "wrong-guess-77"):  # neither says which it was
            form = {"username": name, "password": password}
            assert_refused(await client.post("/auth/token", data=form))
        assert_refused(
            await client.put(
                "/users/me/password",
                json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
                headers=bearer(tokens),
            )
        )
        assert_refused(await client.patch(f"/users/{user['id']}", json={"role": "admin"}))
        assert_refused(await client.post("/auth/logout-all", headers=bearer(tokens)))
        assert proxy.cuts >= 5
        proxy.cut = False
        stored = [event["type"] async for event in database["audit_events"].find(owner)]
        assert stored == ["login.succeeded"]  # the one login before the cut

        # Nothing happened: one session, the old password, the old role, tokens alive.
        sessions = await client.get("/auth/sessions", headers=bearer(tokens))
        assert len(sessions.json()) == 1
        assert (await client.get("/users/me", headers=bearer(tokens))).json()["role"] == "user"
        assert await password_works(client, name, DEFAULT_PASSWORD)
        assert not await password_works(client, name, NEW_PASSWORD)
        metrics = (await client.get("/metrics")).text
        for event_type in ("login.succeeded", "login.failed", "password.changed", "role.changed",
                           "session.ended"):  # fmt: skip
            assert _sample(metrics, "audit_write_failures_total", type=event_type) >= 1
