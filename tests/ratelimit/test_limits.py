"""Per-group limits keyed by user or address, with IETF headers, on the real Redis store."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import ValidationError
from pymongo.asynchronous.database import AsyncDatabase

from service.core.config import Settings
from tests.factories import DEFAULT_PASSWORD, bearer, user_payload
from tests.ratelimit.conftest import LIMITS
from tests.secret_scan import SecretLedger

PROBLEM = "application/problem+json"
RATELIMIT = re.compile(r'^"(?P<group>[a-z]+)";r=(?P<r>\d+);t=(?P<t>\d+)$')
MISSING_ID = "0123456789abcdef01234567"


def _state(response: httpx.Response) -> tuple[str, int, int]:
    match = RATELIMIT.match(response.headers["ratelimit"])
    assert match, response.headers["ratelimit"]
    return match["group"], int(match["r"]), int(match["t"])


async def _register_and_login(client: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, str]]:
    user = (await client.post("/users", json=user_payload())).json()
    tokens = await client.post(
        "/auth/token", data={"username": user["username"], "password": DEFAULT_PASSWORD}
    )
    return user, bearer(tokens.json())


async def test_reads_count_down_then_429_with_retry_after_and_headers(
    limited_client: httpx.AsyncClient,
) -> None:
    path = f"/users/{MISSING_ID}/avatar"  # public read: 404, still counted
    remaining = []
    for _ in range(LIMITS["read"]):
        response = await limited_client.get(path)
        assert response.status_code == 404
        assert response.headers["ratelimit-policy"] == f'"read";q={LIMITS["read"]};w=60'
        group, left, reset = _state(response)
        assert group == "read"
        assert 1 <= reset <= 60
        remaining.append(left)
    assert remaining == list(range(LIMITS["read"] - 1, -1, -1))

    refused = await limited_client.get(path)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == PROBLEM
    body = refused.json()
    assert body["status"] == 429
    assert body["type"] == "urn:users-service:problem:rate-limited"
    assert body["instance"] == path
    assert body["request_id"] == refused.headers["x-request-id"]
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert refused.headers["ratelimit-policy"] == f'"read";q={LIMITS["read"]};w=60'
    assert _state(refused) == ("read", 0, retry_after)


async def test_groups_are_counted_apart(limited_client: httpx.AsyncClient) -> None:
    for _ in range(LIMITS["read"]):
        await limited_client.get(f"/users/{MISSING_ID}/avatar")
    assert (await limited_client.get(f"/users/{MISSING_ID}/avatar")).status_code == 429
    # Reads are spent; a login (auth group) and a delete (write group) are not refused.
    login = await limited_client.post("/auth/token", data={"username": "x", "password": "y" * 8})
    assert login.status_code == 401
    assert _state(login)[:2] == ("auth", LIMITS["auth"] - 1)
    delete = await limited_client.delete(f"/users/{MISSING_ID}")
    assert delete.status_code in (401, 404)
    assert _state(delete)[:2] == ("write", LIMITS["write"] - 1)


async def test_exempt_routes_carry_no_limit(limited_client: httpx.AsyncClient) -> None:
    for path in ("/health/live", "/health/ready", "/metrics", "/docs", "/openapi.json"):
        for _ in range(LIMITS["read"] + 2):
            response = await limited_client.get(path)
            assert response.status_code == 200, path
        assert "ratelimit" not in response.headers, path
        assert "ratelimit-policy" not in response.headers, path


async def test_registration_and_login_share_the_auth_limit_and_429_creates_nobody(
    limited_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, _ = await _register_and_login(limited_client)  # 2 of the auth quota
    for _ in range(LIMITS["auth"] - 2):
        await limited_client.post("/auth/token", data={"username": "x", "password": "y" * 8})
    refused = await limited_client.post("/users", json=user_payload(username="never0"))
    assert refused.status_code == 429
    assert refused.headers["ratelimit-policy"] == f'"auth";q={LIMITS["auth"]};w=60'
    assert await test_db["users"].count_documents({"username": "never0"}) == 0
    right_password = await limited_client.post(
        "/auth/token", data={"username": user["username"], "password": DEFAULT_PASSWORD}
    )
    assert right_password.status_code == 429


async def test_authenticated_callers_are_counted_by_user_not_address(
    limited_app: LifespanManager, ledger: SecretLedger, limited_client: httpx.AsyncClient
) -> None:
    user, auth = await _register_and_login(limited_client)
    other, other_auth = await _register_and_login(limited_client)
    transport = httpx.ASGITransport(app=limited_app.app)
    async with (
        httpx.AsyncClient(
            transport=transport, base_url="http://testserver", event_hooks=ledger.hooks()
        ) as elsewhere,
    ):
        # One user from two addresses spends one quota.
        for n in range(LIMITS["read"]):
            client = limited_client if n % 2 else elsewhere
            response = await client.get(
                f"/users/{user['id']}", headers={**auth, "X-Forwarded-For": f"203.0.113.{n}"}
            )
            assert response.status_code == 200
        assert (await elsewhere.get("/users/me", headers=auth)).status_code == 429
        # Another user at the same address still has all of theirs.
        mine = await limited_client.get(f"/users/{other['id']}", headers=other_auth)
        assert mine.status_code == 200
        assert _state(mine)[:2] == ("read", LIMITS["read"] - 1)
        # And anonymous reads from that address are counted on their own.
        anonymous = await limited_client.get(f"/users/{MISSING_ID}/avatar")
        assert _state(anonymous)[:2] == ("read", LIMITS["read"] - 1)


async def test_an_invalid_token_is_counted_against_the_address(
    limited_client: httpx.AsyncClient,
) -> None:
    forged = {"Authorization": "Bearer not-a-real-token"}
    first = await limited_client.get("/users/me", headers=forged)
    assert first.status_code == 401
    second = await limited_client.get(f"/users/{MISSING_ID}/avatar")
    assert _state(second)[1] == _state(first)[1] - 1


async def test_forwarded_for_is_ignored_from_an_untrusted_peer(
    limited_app: LifespanManager, ledger: SecretLedger, address: str
) -> None:
    transport = httpx.ASGITransport(app=limited_app.app, client=(address, 40000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=ledger.hooks()
    ) as client:
        seen = set()
        for n in range(LIMITS["read"]):
            response = await client.get(
                f"/users/{MISSING_ID}/avatar", headers={"X-Forwarded-For": f"192.0.2.{n}"}
            )
            seen.add(_state(response)[1])
        assert seen == set(range(LIMITS["read"]))  # one quota: the peer's
        assert (await client.get(f"/users/{MISSING_ID}/avatar")).status_code == 429


async def test_avatar_uploads_have_their_own_limit(limited_client: httpx.AsyncClient) -> None:
    user, auth = await _register_and_login(limited_client)
    statuses = []
    for _ in range(LIMITS["avatar"] + 1):
        response = await limited_client.put(
            f"/users/{user['id']}/avatar",
            headers=auth,
            files={"file": ("a.txt", b"not an image", "text/plain")},
        )
        statuses.append(response.status_code)
        assert response.headers["ratelimit-policy"] == f'"avatar";q={LIMITS["avatar"]};w=60'
    assert statuses == [415] * LIMITS["avatar"] + [429]


async def test_predictions_have_their_own_limit(limited_client: httpx.AsyncClient) -> None:
    _, auth = await _register_and_login(limited_client)
    statuses = []
    for _ in range(LIMITS["inference"] + 1):
        response = await limited_client.post(
            "/models/none/predictions", headers=auth, json={"rows": [{"x": 1}]}
        )
        statuses.append(response.status_code)
        assert response.headers["ratelimit-policy"] == f'"inference";q={LIMITS["inference"]};w=60'
    assert statuses == [404] * LIMITS["inference"] + [429]
    # Data writes still have their whole quota.
    assert (await limited_client.patch("/users/me", headers=auth, json={})).status_code != 429


def test_a_bad_limit_stops_start_up_naming_it() -> None:
    for bad, message in (
        ("lots", "not a rate limit"),
        ("10/minute;100/hour", "exactly one limit"),
        ("0/minute", "at least one request"),
    ):
        with pytest.raises(ValidationError, match=message) as raised:
            Settings(rate_limit_read=bad)
        assert raised.value.errors()[0]["loc"] == ("rate_limit_read",)
