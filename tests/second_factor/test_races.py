"""Every single-use thing of a second factor, under N requests at once: one winner each.

The login throttle counts attempts in flight, so with its default limit most of N parallel
attempts would be turned away (429) before reaching the write under test; these tests run
an app whose limit is out of the way, so every request reaches the guarded write.
"""

from __future__ import annotations

from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.conftest import AppFactory
from tests.factories import user_session
from tests.races import PARALLEL, race
from tests.second_factor.helpers import (
    challenge_for,
    code,
    enable_totp,
    enrol,
    redeem,
    step_now,
)

TRIALS = 3
ROOMY = {"login_max_failures": 1000, "second_factor_max_failures": 1000}


async def test_one_challenge_opens_one_session(app_with: AppFactory) -> None:
    async with app_with(**ROOMY) as client:
        user, headers = await user_session(client)
        _, codes = await enable_totp(client, headers)
        challenge = await challenge_for(client, user["username"])
        # Each request brings a different, valid recovery code: only the challenge is shared.
        statuses, answers = await race(PARALLEL, lambda i: redeem(client, challenge, codes[i]))
        assert statuses == {200: 1, 401: PARALLEL - 1}, statuses
        assert {a.json()["type"] for a in answers if a.status_code == 401} == {
            "urn:users-service:problem:invalid-challenge"
        }
        # The losers were turned away before their codes were looked at: none is spent.
        status = await client.get("/users/me/second-factor", headers=headers)
        assert status.json()["recovery_codes_left"] == len(codes) - 1


async def test_one_totp_code_opens_one_session(app_with: AppFactory) -> None:
    async with app_with(**ROOMY) as client:
        user, headers = await user_session(client)
        secret, _ = await enable_totp(client, headers)
        # The steps the service accepts after the confirmation's: now and the next one.
        for trial in range(2):
            challenges = [await challenge_for(client, user["username"]) for _ in range(PARALLEL)]
            shared = code(secret, step_now() + trial)
            statuses, _ = await race(
                PARALLEL, lambda i, c=shared, cs=challenges: redeem(client, cs[i], c)
            )
            assert statuses == {200: 1, 401: PARALLEL - 1}, (trial, statuses)


async def test_one_recovery_code_opens_one_session(app_with: AppFactory) -> None:
    async with app_with(**ROOMY) as client:
        user, headers = await user_session(client)
        _, codes = await enable_totp(client, headers)
        for trial in range(TRIALS):
            challenges = [await challenge_for(client, user["username"]) for _ in range(PARALLEL)]
            statuses, _ = await race(
                PARALLEL, lambda i, c=codes[trial], cs=challenges: redeem(client, cs[i], c)
            )
            assert statuses == {200: 1, 401: PARALLEL - 1}, (trial, statuses)
        status = await client.get("/users/me/second-factor", headers=headers)
        assert status.json()["recovery_codes_left"] == len(codes) - TRIALS


async def test_one_confirmation_wins_and_one_set_of_codes_is_kept(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, headers = await user_session(client)
    secret = (await enrol(client, headers))["secret"]
    first = code(secret, step_now())
    statuses, answers = await race(
        PARALLEL,
        lambda _: client.post(
            "/users/me/second-factor/totp/confirm", json={"code": first}, headers=headers
        ),
    )
    assert statuses == {200: 1, 409: PARALLEL - 1}, statuses
    (winner,) = [a.json()["recovery_codes"] for a in answers if a.status_code == 200]
    assert await test_db["recovery_codes"].count_documents({}) == len(winner) == 10
