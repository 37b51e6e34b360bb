"""Logging in with a TOTP second factor: the password gives a challenge, never a session;
the challenge and a code (once) give the session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from tests.conftest import AppFactory
from tests.factories import DEFAULT_PASSWORD, bearer, user_session
from tests.second_factor.helpers import (
    challenge_for,
    code,
    enable_totp,
    password_step,
    redeem,
    step_now,
    wrong_code,
)

PROBLEM = "urn:users-service:problem:"


async def test_enrol_confirm_then_log_in_in_two_steps(client: httpx.AsyncClient) -> None:
    user, headers = await user_session(client)
    secret, _ = await enable_totp(client, headers)

    first = await password_step(client, user["username"])
    assert first.status_code == 401
    assert first.headers["content-type"] == "application/problem+json"
    assert first.headers["cache-control"] == "no-store"
    body = first.json()
    assert body["type"] == PROBLEM + "second-factor-required"
    assert body["expires_in"] == 300
    assert body["methods"] == ["totp", "recovery_code"]
    assert "access_token" not in body
    assert "refresh_token" not in body

    second = await redeem(client, body["challenge"], code(secret, step_now()))
    assert second.status_code == 200, second.text
    tokens = second.json()
    me = await client.get("/users/me", headers=bearer(tokens))
    assert me.status_code == 200
    assert me.json()["id"] == user["id"]
    # The refresh token works like any other session's.
    rotated = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200


async def test_the_password_step_alone_never_opens_a_session(
    client: httpx.AsyncClient,
) -> None:
    user, headers = await user_session(client)
    await enable_totp(client, headers)
    answer = await password_step(client, user["username"])
    challenge = answer.json()["challenge"]
    # The challenge is no bearer token, and the refresh endpoint does not take it either.
    assert (
        await client.get("/users/me", headers={"Authorization": f"Bearer {challenge}"})
    ).status_code == 401
    assert (
        await client.post("/auth/refresh", json={"refresh_token": challenge})
    ).status_code == 401
    # A wrong password gets the ordinary answer: no hint that a second factor exists.
    wrong = await password_step(client, user["username"], "not-the-password")
    assert wrong.status_code == 401
    assert wrong.json()["type"] == PROBLEM + "invalid-credentials"
    assert "challenge" not in wrong.json()


async def test_a_code_is_accepted_once(client: httpx.AsyncClient) -> None:
    user, headers = await user_session(client)
    secret, _ = await enable_totp(client, headers)
    now = step_now()
    used = code(secret, now)
    assert (
        await redeem(client, await challenge_for(client, user["username"]), used)
    ).status_code == 200

    replay = await redeem(client, await challenge_for(client, user["username"]), used)
    assert replay.status_code == 401
    assert replay.json()["type"] == PROBLEM + "invalid-second-factor-code"
    # An older step than the last one used is refused too, even within the window.
    older = await redeem(
        client, await challenge_for(client, user["username"]), code(secret, now - 1)
    )
    assert older.status_code == 401
    # The next step's code is new: it works.
    fresh = await redeem(
        client, await challenge_for(client, user["username"]), code(secret, now + 1)
    )
    assert fresh.status_code == 200


async def test_wrong_codes_count_as_failed_logins_until_429(client: httpx.AsyncClient) -> None:
    user, headers = await user_session(client)
    secret, _ = await enable_totp(client, headers)
    bad = wrong_code(secret)
    challenges = [await challenge_for(client, user["username"]) for _ in range(2)]
    # LOGIN_MAX_FAILURES is 5: wrong codes on two challenges add up on the account.
    for attempt in range(5):
        answer = await redeem(client, challenges[attempt % 2], bad)
        assert answer.status_code == 401
        assert answer.json()["type"] == PROBLEM + "invalid-second-factor-code"
    throttled = await redeem(client, challenges[0], code(secret, step_now()))
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) >= 1
    # The password step is throttled as well: a new challenge buys no new guesses.
    assert (await password_step(client, user["username"])).status_code == 429


async def test_the_password_step_does_not_reset_code_failures(client: httpx.AsyncClient) -> None:
    user, headers = await user_session(client)
    secret, _ = await enable_totp(client, headers)
    bad = wrong_code(secret)
    for _ in range(4):
        challenge = await challenge_for(client, user["username"])  # a right password each time
        assert (await redeem(client, challenge, bad)).status_code == 401
    challenge = await challenge_for(client, user["username"])
    assert (await redeem(client, challenge, bad)).status_code == 401
    assert (await password_step(client, user["username"])).status_code == 429


async def test_a_challenge_dies_after_five_wrong_codes(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, headers = await user_session(client)
    secret, _ = await enable_totp(client, headers)
    challenge = await challenge_for(client, user["username"])
    bad = wrong_code(secret)
    for _ in range(5):
        assert (await redeem(client, challenge, bad)).status_code == 401
    await test_db["login_failures"].delete_many({})  # the throttle's window passes
    spent = await redeem(client, challenge, code(secret, step_now()))
    assert spent.status_code == 401
    assert spent.json()["type"] == PROBLEM + "invalid-challenge"


async def test_unknown_expired_and_used_challenges_are_refused(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, headers = await user_session(client)
    secret, _ = await enable_totp(client, headers)
    unknown = await redeem(client, "no-such-challenge", code(secret, step_now()))
    assert unknown.status_code == 401
    assert unknown.json()["type"] == PROBLEM + "invalid-challenge"
    assert unknown.headers["content-type"] == "application/problem+json"

    expired = await challenge_for(client, user["username"])
    await test_db["login_challenges"].update_many(
        {}, {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}}
    )
    late = await redeem(client, expired, code(secret, step_now()))
    assert late.json()["type"] == PROBLEM + "invalid-challenge"

    challenge = await challenge_for(client, user["username"])
    assert (await redeem(client, challenge, code(secret, step_now()))).status_code == 200
    again = await redeem(client, challenge, code(secret, step_now() + 1))
    assert again.status_code == 401
    assert again.json()["type"] == PROBLEM + "invalid-challenge"


async def test_a_recovery_code_logs_in_once(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, headers = await user_session(client)
    _, codes = await enable_totp(client, headers)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    typed = codes[0].upper().replace("-", " ")  # as a person may type it
    assert (
        await redeem(client, await challenge_for(client, user["username"]), typed)
    ).status_code == 200
    again = await redeem(client, await challenge_for(client, user["username"]), codes[0])
    assert again.status_code == 401
    status = await client.get("/users/me/second-factor", headers=headers)
    assert status.json()["recovery_codes_left"] == 9
    events = [
        e["type"] async for e in test_db["audit_events"].find({"user_id": ObjectId(user["id"])})
    ]
    assert events.count("recovery_code.used") == 1
    # The session's own password login, then the recovery code's; its second try failed.
    assert events.count("login.succeeded") == 2
    assert events.count("login.failed") == 1
    # Only keyed hashes are stored.
    stored = [c["code_hash"] async for c in test_db["recovery_codes"].find({})]
    assert not set(stored) & {c.replace("-", "") for c in codes}
    assert len(stored) == 10


async def test_a_password_change_voids_outstanding_challenges(client: httpx.AsyncClient) -> None:
    user, headers = await user_session(client)
    secret, _ = await enable_totp(client, headers)
    challenge = await challenge_for(client, user["username"])
    changed = await client.put(
        "/users/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "another-long-password"},
        headers=headers,
    )
    assert changed.status_code == 204
    stale = await redeem(client, challenge, code(secret, step_now()))
    assert stale.status_code == 401
    assert stale.json()["type"] == PROBLEM + "invalid-challenge"


async def test_wrong_codes_from_many_addresses_are_bounded_per_account(
    app_with: AppFactory,
) -> None:
    async with app_with(trusted_proxies=["127.0.0.0/8"], second_factor_max_failures=3) as client:
        user, headers = await user_session(client)
        secret, _ = await enable_totp(client, headers)
        challenge = await challenge_for(client, user["username"])
        bad = wrong_code(secret)
        # Each guess from a different address: the per-address counters never fill up.
        for n in range(3):
            answer = await client.post(
                "/auth/token/second-factor",
                json={"challenge": challenge, "code": bad},
                headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
            )
            assert answer.status_code == 401
        fourth = await client.post(
            "/auth/token/second-factor",
            json={"challenge": challenge, "code": code(secret, step_now())},
            headers={"X-Forwarded-For": "203.0.113.99"},
        )
        assert fourth.status_code == 429
