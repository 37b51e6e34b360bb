"""Faults on purpose: an app whose database loses the answer to a chosen command."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from pymongo import AsyncMongoClient
from pymongo.uri_parser import parse_uri

from scripts.localdb import LocalServer
from tests.factories import bearer
from tests.fault_proxy import ReplyLosingProxy
from tests.own_app import own_app, own_settings
from tests.secret_scan import SecretLedger
from tests.smtp_server import Mailbox

Select = Callable[[dict[str, Any]], bool]


def user_write(command: dict[str, Any]) -> bool:
    """A write to the users collection (the one that stores the new hash)."""
    return "users" in (command.get("findAndModify"), command.get("update"))


def token_claim(command: dict[str, Any]) -> bool:
    """The update that uses a reset token up."""
    return command.get("findAndModify") == "account_tokens"


@contextlib.asynccontextmanager
async def faulty_app(
    mongo_server: LocalServer,
    suite: LifespanManager,
    ledger: SecretLedger,
    smtp: tuple[str, int, Mailbox],
    select: Select,
) -> AsyncIterator[tuple[httpx.AsyncClient, ReplyLosingProxy]]:
    """An app whose database answers go through a reply-losing proxy; mails are real."""
    (upstream,) = parse_uri(mongo_server.url)["nodelist"]
    proxy = ReplyLosingProxy(upstream, select)
    settings = own_settings(
        await proxy.start(),
        mongodb_timeout_ms=1000,
        smtp_host=smtp[0],
        smtp_port=smtp[1],
        smtp_starttls=False,
    )
    direct: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_server.url)
    try:
        async with own_app(settings, suite, ledger) as client:
            yield client, proxy
    finally:
        await proxy.close()
        await direct.drop_database(settings.mongodb_db)
        await direct.close()


async def password_works(client: httpx.AsyncClient, username: str, password: str) -> bool:
    """Whether a login with `password` succeeds."""
    form = {"username": username, "password": password}
    response = await client.post("/auth/token", data=form)
    assert response.status_code in (200, 401), response.text
    return response.status_code == 200


async def tokens_work(client: httpx.AsyncClient, tokens: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the access token and the refresh token of a pair are still accepted."""
    me = await client.get("/users/me", headers=bearer(tokens))
    refreshed = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert me.status_code in (200, 401)
    assert refreshed.status_code in (200, 401)
    return me.status_code == 200, refreshed.status_code == 200
