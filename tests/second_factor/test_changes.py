"""Enrolling, disabling, new recovery codes and an admin's reset of a TOTP factor."""

from __future__ import annotations

from typing import Any

import httpx
from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from tests.factories import DEFAULT_PASSWORD, bearer, login, user_session
from tests.second_factor.helpers import (
    challenge_for,
    code,
    enable_totp,
    enrol,
    password_step,
    redeem,
    step_now,
    wrong_code,
)

ME = "/users/me/second-factor"
PROBLEM = "urn:users-service:problem:"


async def _events(test_db: AsyncDatabase[dict[str, Any]], user_id: str) -> list[dict[str, Any]]:
    # The factor's own events (the session's logins are in the trail too).
    own = {"user_id": ObjectId(user_id), "type": {"$regex": "^(second_factor|recovery_code)"}}
    return [e async for e in test_db["audit_events"].find(own)]


async def test_enrolment_shows_the_secret_once_and_stores_it_sealed(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, headers = await user_session(client)
    started = await enrol(client, headers)
    secret = started["secret"]
    assert started["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={secret}" in started["otpauth_uri"]
    assert "issuer=users-service" in started["otpauth_uri"]
    assert started["qr_image"].startswith("data:image/svg+xml")
    # Pending: logins are unchanged until a code confirms the enrolment.
    assert (await client.get(ME, headers=headers)).json() == {
        "enabled": False,
        "state": "pending",
        "confirmed_at": None,
        "recovery_codes_left": 0,
    }
    assert (await password_step(client, user["username"])).status_code == 200
    stored = await test_db["second_factors"].find_one({"user_id": ObjectId(user["id"])})
    assert stored is not None
    assert secret not in str(stored)

    wrong = await client.post(
        f"{ME}/totp/confirm", json={"code": wrong_code(secret)}, headers=headers
    )
    assert wrong.status_code == 403
    assert wrong.json()["type"] == PROBLEM + "wrong-code"
    confirmed = await client.post(
        f"{ME}/totp/confirm", json={"code": code(secret, step_now())}, headers=headers
    )
    assert confirmed.status_code == 200
    status = (await client.get(ME, headers=headers)).json()
    assert status["enabled"] is True
    assert status["recovery_codes_left"] == 10
    assert secret not in str(status)
    # Confirmed: no expiry left for the TTL index or the purge to act on.
    kept = await test_db["second_factors"].find_one({"user_id": ObjectId(user["id"])})
    assert kept is not None
    assert kept["expires_at"] is None
    assert [e["type"] for e in await _events(test_db, user["id"])] == ["second_factor.added"]
    # A second enrolment would replace the factor: refused while one is enabled.
    again = await client.post(f"{ME}/totp", json={"password": DEFAULT_PASSWORD}, headers=headers)
    assert again.status_code == 409


async def test_enrolment_needs_the_password(client: httpx.AsyncClient) -> None:
    _, headers = await user_session(client)
    refused = await client.post(
        f"{ME}/totp", json={"password": "not-the-password"}, headers=headers
    )
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert (await client.get(ME, headers=headers)).json()["state"] is None
    anonymous = await client.post(f"{ME}/totp", json={"password": DEFAULT_PASSWORD})
    assert anonymous.status_code == 401


async def test_disable_needs_the_password_and_a_code(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, headers = await user_session(client)
    secret, codes = await enable_totp(client, headers)
    current = code(secret, step_now())
    for body in (
        {"password": "not-the-password", "code": current},
        {"password": DEFAULT_PASSWORD, "code": wrong_code(secret)},
    ):
        refused = await client.post(f"{ME}/disable", json=body, headers=headers)
        assert refused.status_code == 403, body
        assert refused.json()["type"] == PROBLEM + "wrong-second-factor-proof"
    assert (await client.get(ME, headers=headers)).json()["enabled"] is True
    missing = await client.post(
        f"{ME}/disable", json={"password": DEFAULT_PASSWORD}, headers=headers
    )
    assert missing.status_code == 422

    done = await client.post(
        f"{ME}/disable", json={"password": DEFAULT_PASSWORD, "code": current}, headers=headers
    )
    assert done.status_code == 204
    assert (await client.get(ME, headers=headers)).json()["state"] is None
    assert await test_db["recovery_codes"].count_documents({}) == 0
    # The password alone logs in again; the old recovery codes are gone with the factor.
    assert (await password_step(client, user["username"])).status_code == 200
    types = [e["type"] for e in await _events(test_db, user["id"])]
    assert types == ["second_factor.added", "second_factor.removed"]
    assert codes  # shown once at confirmation


async def test_new_recovery_codes_replace_the_old_ones(client: httpx.AsyncClient) -> None:
    user, headers = await user_session(client)
    secret, old = await enable_totp(client, headers)
    answer = await client.post(
        f"{ME}/recovery-codes",
        json={"password": DEFAULT_PASSWORD, "code": code(secret, step_now())},
        headers=headers,
    )
    assert answer.status_code == 200
    new = answer.json()["recovery_codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    stale = await redeem(client, await challenge_for(client, user["username"]), old[0])
    assert stale.status_code == 401
    fresh = await redeem(client, await challenge_for(client, user["username"]), new[0])
    assert fresh.status_code == 200


async def test_an_admin_resets_a_users_factor_and_the_trail_names_the_admin(
    client: httpx.AsyncClient,
    admin_client: httpx.AsyncClient,
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    user, headers = await user_session(client)
    await enable_totp(client, headers)
    other, other_headers = await user_session(client)
    # Not an admin (even the user themself): 403, and nothing changes.
    for caller in (headers, other_headers):
        refused = await client.delete(f"/users/{user['id']}/second-factor", headers=caller)
        assert refused.status_code == 403
    assert (await client.get(ME, headers=headers)).json()["enabled"] is True

    reset = await admin_client.delete(f"/users/{user['id']}/second-factor")
    assert reset.status_code == 204
    assert (await password_step(client, user["username"])).status_code == 200
    events = await _events(test_db, user["id"])
    (reset_event,) = [e for e in events if e["type"] == "second_factor.reset"]
    me = await admin_client.get("/users/me")
    assert str(reset_event["actor_id"]) == me.json()["id"] != user["id"]

    again = await admin_client.delete(f"/users/{user['id']}/second-factor")
    assert again.status_code == 404
    assert (await admin_client.delete(f"/users/{other['id']}/second-factor")).status_code == 404


async def test_a_deleted_users_factor_goes_with_them(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, headers = await user_session(client)
    secret, _ = await enable_totp(client, headers)
    tokens = await _log_in(client, user["username"], secret)
    assert (await client.delete("/users/me", headers=bearer(tokens))).status_code == 204
    for name in ("second_factors", "recovery_codes", "login_challenges"):
        assert await test_db[name].count_documents({}) == 0, name


async def _log_in(client: httpx.AsyncClient, username: str, secret: str) -> dict[str, Any]:
    answer = await redeem(client, await challenge_for(client, username), code(secret, step_now()))
    assert answer.status_code == 200
    tokens: dict[str, Any] = answer.json()
    return tokens


async def test_users_without_a_factor_log_in_as_before(client: httpx.AsyncClient) -> None:
    user, _ = await user_session(client)
    tokens = await login(client, user["username"])
    assert set(tokens) == {"access_token", "refresh_token", "token_type", "expires_in"}
