"""Refresh tokens rotate; a reused one revokes its whole family; logout ends a session."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.factories import bearer, login, user_session


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/auth/refresh", json={"refresh_token": token})


async def test_rotation_issues_a_new_pair_and_kills_the_old_token(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, _ = await user_session(client)
    first = await login(client, user["username"])
    rotated = await _refresh(client, first["refresh_token"])
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get("/users/me", headers=bearer(second))).status_code == 200

    # Stored only as hashes.
    stored = await test_db["refresh_tokens"].find({}).to_list()
    digests = {doc["token_hash"] for doc in stored}
    assert hashlib.sha256(second["refresh_token"].encode()).hexdigest() in digests
    assert all(second["refresh_token"] not in str(doc) for doc in stored)


async def test_reusing_a_rotated_token_revokes_the_family(client: httpx.AsyncClient) -> None:
    user, _ = await user_session(client)
    stolen = await login(client, user["username"])
    legit = (await _refresh(client, stolen["refresh_token"])).json()
    other_session = await login(client, user["username"])

    reuse = await _refresh(client, stolen["refresh_token"])
    assert reuse.status_code == 401
    assert reuse.headers["www-authenticate"] == "Bearer"
    # The family is dead: the legitimate successor no longer refreshes...
    assert (await _refresh(client, legit["refresh_token"])).status_code == 401
    # ...but other sessions of the same user are untouched.
    assert (await _refresh(client, other_session["refresh_token"])).status_code == 200


async def test_unknown_and_malformed_refresh_tokens(client: httpx.AsyncClient) -> None:
    assert (await _refresh(client, "not-a-token")).status_code == 401
    assert (await client.post("/auth/refresh", json={})).status_code == 422
    assert (
        await client.post("/auth/refresh", json={"refresh_token": "x", "extra": 1})
    ).status_code == 422


async def test_logout_ends_only_this_session(client: httpx.AsyncClient) -> None:
    user, _ = await user_session(client)
    session_a = await login(client, user["username"])
    session_b = await login(client, user["username"])
    response = await client.post(
        "/auth/logout",
        json={"refresh_token": session_a["refresh_token"]},
        headers=bearer(session_a),
    )
    assert response.status_code == 204
    assert (await _refresh(client, session_a["refresh_token"])).status_code == 401
    assert (await _refresh(client, session_b["refresh_token"])).status_code == 200


async def test_logout_cannot_revoke_someone_elses_session(client: httpx.AsyncClient) -> None:
    victim, _ = await user_session(client)
    attacker, attacker_auth = await user_session(client)
    victim_tokens = await login(client, victim["username"])
    response = await client.post(
        "/auth/logout",
        json={"refresh_token": victim_tokens["refresh_token"]},
        headers=attacker_auth,
    )
    assert response.status_code == 204
    assert (await _refresh(client, victim_tokens["refresh_token"])).status_code == 200
    assert attacker["id"] != victim["id"]


async def test_expired_refresh_token_is_refused(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, _ = await user_session(client)
    tokens = await login(client, user["username"])
    digest = hashlib.sha256(tokens["refresh_token"].encode()).hexdigest()
    # Time passes: the token's expiry is now in the past.
    from datetime import UTC, datetime, timedelta

    await test_db["refresh_tokens"].update_one(
        {"token_hash": digest}, {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}}
    )
    assert (await _refresh(client, tokens["refresh_token"])).status_code == 401
