"""Second-factor test helpers: enable TOTP through the API and compute codes with pyotp."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pyotp

from tests.factories import DEFAULT_PASSWORD

PERIOD_S = 30


def step_now() -> int:
    """The RFC 6238 time step of this moment."""
    return int(time.time()) // PERIOD_S


def code(secret: str, step: int) -> str:
    """The TOTP code of `secret` for time step `step` (no waiting for the clock)."""
    return pyotp.TOTP(secret).generate_otp(step)


def wrong_code(secret: str) -> str:
    """A 6-digit code that is not the code of any step the service may accept now."""
    now = step_now()
    taken = {code(secret, now + offset) for offset in range(-2, 3)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in taken)


async def enrol(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    """Start an enrolment; the answer with the secret."""
    response = await client.post(
        "/users/me/second-factor/totp", json={"password": DEFAULT_PASSWORD}, headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def enable_totp(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[str, list[str]]:
    """Enrol and confirm with the code of the step before now (so the current and the
    next step stay free for logins); return the secret and the recovery codes.

    That code is only accepted while the service is still in the step it was computed
    in; if a step boundary passed meanwhile (as the clock shows), the code of the step
    before the new one is sent instead, as a person would type the newer code.
    """
    secret = (await enrol(client, headers))["secret"]
    while True:
        step = step_now()
        response = await client.post(
            "/users/me/second-factor/totp/confirm",
            json={"code": code(secret, step - 1)},
            headers=headers,
        )
        if response.status_code == 200 or step_now() == step:
            break
    assert response.status_code == 200, response.text
    codes: list[str] = response.json()["recovery_codes"]
    return secret, codes


async def password_step(
    client: httpx.AsyncClient, username: str, password: str = DEFAULT_PASSWORD
) -> httpx.Response:
    """`POST /auth/token` with the password."""
    return await client.post("/auth/token", data={"username": username, "password": password})


async def challenge_for(client: httpx.AsyncClient, username: str) -> str:
    """The challenge of a right password for a user with a second factor."""
    response = await password_step(client, username)
    assert response.status_code == 401, response.text
    challenge: str = response.json()["challenge"]
    return challenge


async def redeem(client: httpx.AsyncClient, challenge: str, value: str) -> httpx.Response:
    """`POST /auth/token/second-factor`."""
    return await client.post(
        "/auth/token/second-factor", json={"challenge": challenge, "code": value}
    )
