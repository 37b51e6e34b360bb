"""Attacks on the passkey ceremonies, each with its outcome: a phishing origin or RP id,
replayed and raced challenges, a cloned authenticator, guessing under the login throttle."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from service.core.config import Settings
from service.http.paths import RouteGroup, route_group
from tests.factories import DEFAULT_PASSWORD, user_session
from tests.passkeys.authenticator import SoftAuthenticator
from tests.passkeys.ceremonies import (
    login_options,
    passkey_login,
    register,
    registration_options,
    send_assertion,
)
from tests.races import PARALLEL, race

PHISHING_ORIGIN = "https://users-service.example.net"


async def _outcomes(client: httpx.AsyncClient) -> dict[str, float]:
    """`passkey_logins_total` by outcome, as scraped."""
    text = (await client.get("/metrics")).text
    counts = {}
    for line in text.splitlines():
        if line.startswith('passkey_logins_total{outcome="'):
            counts[line.split('"')[1]] = float(line.split()[-1])
    return counts


async def _registered(
    client: httpx.AsyncClient, settings: Settings, **authenticator: Any
) -> tuple[dict[str, Any], dict[str, str], SoftAuthenticator]:
    user, headers = await user_session(client)
    key = SoftAuthenticator(origin=settings.passkey_origins[0], **authenticator)
    await register(client, headers, key)
    return user, headers, key


async def test_a_phishing_origin_or_rp_id_is_refused(
    client: httpx.AsyncClient, settings: Settings, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, headers, key = await _registered(client, settings)

    # Registration from another site's page, or for another RP id: nothing is stored.
    for where in ({"origin": PHISHING_ORIGIN}, {"rp_id": "example.net"}):
        credential = SoftAuthenticator(origin=key.origin).create(
            await registration_options(client, headers), **where
        )
        response = await client.post(
            "/users/me/passkeys",
            json={"name": "Phished", "credential": credential},
            headers=headers,
        )
        assert response.status_code == 400, response.text
        assert response.json()["type"].endswith("invalid-passkey-response")
    assert await test_db["passkeys"].count_documents({}) == 1

    # A login signed for another origin or RP id (a relay through a look-alike site).
    for where in ({"origin": PHISHING_ORIGIN}, {"rp_id": "example.net"}):
        options = await login_options(client)
        response = await send_assertion(client, key.get(options, **where))
        assert response.status_code == 401, response.text
        assert response.json()["type"].endswith("passkey-login-failed")
    assert (await passkey_login(client, key)).status_code == 200


async def test_an_authenticator_that_did_not_verify_its_user_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _, _, key = await _registered(client, settings)
    key.user_verified = False  # presence only: no PIN, no biometric
    assert (await passkey_login(client, key)).status_code == 401


async def test_a_replayed_response_is_refused(
    client: httpx.AsyncClient, settings: Settings, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, headers, key = await _registered(client, settings)
    assertion = key.get(await login_options(client))
    assert (await send_assertion(client, assertion)).status_code == 200
    replayed = await send_assertion(client, assertion)
    assert replayed.status_code == 401
    assert replayed.json()["type"].endswith("passkey-login-failed")

    credential = SoftAuthenticator(origin=key.origin).create(
        await registration_options(client, headers)
    )
    body = {"name": "Second", "credential": credential}
    assert (await client.post("/users/me/passkeys", json=body, headers=headers)).status_code == 201
    again = await client.post("/users/me/passkeys", json=body, headers=headers)
    assert again.status_code in (400, 409)
    assert await test_db["passkeys"].count_documents({}) == 2


async def test_a_challenge_issued_to_one_user_does_not_register_for_another(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _, alice = await user_session(client)
    _, mallory = await user_session(client)
    credential = SoftAuthenticator(origin=settings.passkey_origins[0]).create(
        await registration_options(client, alice)
    )
    response = await client.post(
        "/users/me/passkeys", json={"name": "x", "credential": credential}, headers=mallory
    )
    assert response.status_code == 400


async def test_one_login_challenge_raced_yields_one_session(
    client: httpx.AsyncClient, settings: Settings, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, _, key = await _registered(client, settings)
    assertion = key.get(await login_options(client))

    statuses, _ = await race(PARALLEL, lambda _: send_assertion(client, assertion))

    assert statuses[200] == 1, statuses
    # The losers found the challenge spent (401), or the throttle full of their attempts.
    assert set(statuses) <= {200, 401, 429}, statuses
    assert await test_db["refresh_tokens"].count_documents({}) == 2  # the password login's too


async def test_one_registration_challenge_raced_yields_one_passkey(
    client: httpx.AsyncClient, settings: Settings, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, headers = await user_session(client)
    credential = SoftAuthenticator(origin=settings.passkey_origins[0]).create(
        await registration_options(client, headers)
    )
    body = {"name": "Raced", "credential": credential}

    statuses, _ = await race(
        PARALLEL, lambda _: client.post("/users/me/passkeys", json=body, headers=headers)
    )

    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 400, 409}, statuses
    assert await test_db["passkeys"].count_documents({}) == 1


async def test_a_cloned_authenticator_is_refused_and_the_passkey_disabled(
    client: httpx.AsyncClient,
    settings: Settings,
    test_db: AsyncDatabase[dict[str, Any]],
    log_output: io.StringIO,
) -> None:
    user, headers, key = await _registered(client, settings)
    before = await _outcomes(client)
    copy = key.clone()  # the keys extracted at counter 0
    assert (await passkey_login(client, key)).status_code == 200
    assert (await passkey_login(client, key)).status_code == 200  # counter 2 on record

    cloned = await passkey_login(client, copy)  # signs counter 1: behind the record
    assert cloned.status_code == 403, cloned.text
    assert cloned.json()["type"].endswith("passkey-disabled")
    listed = (await client.get("/users/me/passkeys", headers=headers)).json()
    assert listed[0]["disabled"] is True
    # Which copy is the thief's cannot be known: the passkey signs no login any more.
    assert (await passkey_login(client, key)).status_code == 403
    assert (await passkey_login(client, copy)).status_code == 403
    after = await _outcomes(client)
    assert after["succeeded"] - before["succeeded"] == 2
    assert after["disabled"] - before["disabled"] == 3

    disabled = await test_db["audit_events"].find_one({"type": "passkey.disabled"})
    assert disabled is not None
    assert disabled["detail"]["stored_count"] == 2
    assert disabled["detail"]["presented_count"] == 1
    events = [json.loads(line) for line in log_output.getvalue().splitlines() if line]
    assert [e for e in events if e.get("event") == "passkey.clone_suspected"]
    # The owner signs in otherwise, removes it and registers a new passkey.
    password = await client.post(
        "/auth/token", data={"username": user["username"], "password": DEFAULT_PASSWORD}
    )
    assert password.status_code == 200
    removed = await client.delete(f"/users/me/passkeys/{listed[0]['id']}", headers=headers)
    assert removed.status_code == 204
    await register(client, headers, fresh := SoftAuthenticator(origin=key.origin))
    assert (await passkey_login(client, fresh)).status_code == 200


async def test_parallel_assertions_at_one_counter_log_in_at_most_once(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _, _, key = await _registered(client, settings)
    assertions = []
    for _ in range(PARALLEL):  # N copies of the key, each signing counter 1 once
        assertions.append(key.clone().get(await login_options(client)))

    statuses, _ = await race(PARALLEL, lambda i: send_assertion(client, assertions[i]))

    assert statuses[200] == 1, statuses
    assert set(statuses) <= {200, 403, 429}, statuses


async def test_an_authenticator_without_a_counter_keeps_working(
    client: httpx.AsyncClient, settings: Settings, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, _, key = await _registered(client, settings, counter_step=0)
    for _ in range(3):
        assert (await passkey_login(client, key)).status_code == 200
    stored = await test_db["passkeys"].find_one({})
    assert stored is not None
    assert stored["sign_count"] == 0


async def test_failed_passkey_logins_count_towards_the_login_throttle(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    user, _, key = await _registered(client, settings)
    statuses = []
    for _ in range(settings.login_max_failures):
        forged = key.get(await login_options(client))
        forged["response"]["signature"] = forged["response"]["signature"][:-8] + "AAAAAAAA"
        statuses.append((await send_assertion(client, forged)).status_code)
    assert statuses == [401] * settings.login_max_failures

    counted = await _outcomes(client)
    throttled = await passkey_login(client, key)
    assert throttled.status_code == 429
    assert (await _outcomes(client))["throttled"] - counted["throttled"] == 1
    assert int(throttled.headers["retry-after"]) >= 1
    # The same counter as the password's: guessing one way does not reset the other.
    password = await client.post(
        "/auth/token", data={"username": user["username"], "password": DEFAULT_PASSWORD}
    )
    assert password.status_code == 429


def test_passkey_logins_are_in_the_auth_rate_limit_group() -> None:
    assert route_group("POST", "/auth/passkey/options") is RouteGroup.AUTH
    assert route_group("POST", "/auth/passkey") is RouteGroup.AUTH
