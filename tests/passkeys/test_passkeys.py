"""Passkeys end to end through the ASGI app, with a software authenticator: register,
list, log in (usernameless and by name), remove; what the audit trail keeps."""

from __future__ import annotations

from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from service.core.config import Settings
from tests.factories import bearer, user_session
from tests.passkeys.authenticator import SoftAuthenticator, b64url
from tests.passkeys.ceremonies import login_options, passkey_login, register, registration_options


def authenticator_for(settings: Settings) -> SoftAuthenticator:
    """An authenticator in a browser showing a page of the service's first origin."""
    return SoftAuthenticator(origin=settings.passkey_origins[0])


async def test_register_list_login_and_remove(
    client: httpx.AsyncClient, settings: Settings, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, headers = await user_session(client)
    authenticator = authenticator_for(settings)

    options = await registration_options(client, headers)
    assert options["rp"]["id"] == settings.passkey_rp_id
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    passkey = await register(client, headers, authenticator, name="Laptop")
    assert passkey["name"] == "Laptop"
    assert passkey["disabled"] is False
    assert passkey["last_used_at"] is None

    listed = (await client.get("/users/me/passkeys", headers=headers)).json()
    assert [p["id"] for p in listed] == [passkey["id"]]
    assert "public_key" not in listed[0]
    assert "credential_id" not in listed[0]

    # Usernameless: the options name no credential; the authenticator picks the passkey.
    response = await passkey_login(client, authenticator)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    me = await client.get("/users/me", headers=bearer(response.json()))
    assert me.json()["username"] == user["username"]
    # By username (or email), the same passkey.
    for name in (user["username"], user["email"].upper()):
        response = await passkey_login(client, authenticator, name)
        assert response.status_code == 200, response.text
    # The refresh token works as a password login's does.
    refreshed = await client.post(
        "/auth/refresh", json={"refresh_token": response.json()["refresh_token"]}
    )
    assert refreshed.status_code == 200

    listed = (await client.get("/users/me/passkeys", headers=headers)).json()
    assert listed[0]["last_used_at"] is not None
    stored = await test_db["passkeys"].find_one({})
    assert stored is not None
    assert stored["sign_count"] == 3

    removed = await client.delete(f"/users/me/passkeys/{passkey['id']}", headers=headers)
    assert removed.status_code == 204
    assert (await client.get("/users/me/passkeys", headers=headers)).json() == []
    refused = await passkey_login(client, authenticator)
    assert refused.status_code == 401
    assert refused.json()["type"].endswith("passkey-login-failed")

    events = [e["type"] async for e in test_db["audit_events"].find({}).sort("at", 1)]
    assert events.count("passkey.added") == 1
    assert events.count("passkey.used") == 3
    assert events.count("passkey.removed") == 1


async def test_a_user_removes_only_their_own_passkeys(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _, alice = await user_session(client)
    _, mallory = await user_session(client)
    passkey = await register(client, alice, authenticator_for(settings))

    theirs = await client.delete(f"/users/me/passkeys/{passkey['id']}", headers=mallory)
    assert theirs.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"
    assert len((await client.get("/users/me/passkeys", headers=alice)).json()) == 1
    bad_id = await client.delete("/users/me/passkeys/not-an-id", headers=alice)
    assert bad_id.status_code == 404
    assert bad_id.headers["content-type"] == "application/problem+json"
    anonymous = await client.post("/users/me/passkeys/registration-options")
    assert anonymous.status_code == 401


async def test_one_credential_belongs_to_one_account(
    client: httpx.AsyncClient, settings: Settings, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, alice = await user_session(client)
    _, mallory = await user_session(client)
    authenticator = authenticator_for(settings)
    await register(client, alice, authenticator)

    options = await registration_options(client, alice)
    registered = authenticator.credentials[0]
    assert [c["id"] for c in options["excludeCredentials"]] == [b64url(registered.credential_id)]
    # The same key registered again, by its owner or on another account: refused.
    for headers in (alice, mallory):
        again = authenticator.create(
            await registration_options(client, headers), existing=registered
        )
        response = await client.post(
            "/users/me/passkeys", json={"name": "Again", "credential": again}, headers=headers
        )
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith("passkey-already-registered")
    assert await test_db["passkeys"].count_documents({}) == 1


async def test_login_options_are_the_same_for_every_name(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    user, headers = await user_session(client)
    await register(client, headers, authenticator_for(settings))

    shapes = []
    for name in (user["username"], "nobody-has-this-name", None):
        options = await login_options(client, name)
        shapes.append({k: v for k, v in options.items() if k != "challenge"})
    assert shapes[0] == shapes[1] == shapes[2]
    assert shapes[0]["allowCredentials"] == []
    assert shapes[0]["userVerification"] == "required"


async def test_options_for_one_name_refuse_another_accounts_passkey(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    alice, alice_headers = await user_session(client)
    bob, _bob_headers = await user_session(client)
    alice_key = authenticator_for(settings)
    await register(client, alice_headers, alice_key)

    for name in (bob["username"], "nobody-has-this-name"):
        response = await passkey_login(client, alice_key, name)
        assert response.status_code == 401, response.text
    assert (await passkey_login(client, alice_key, alice["username"])).status_code == 200


async def test_malformed_credentials_are_client_errors(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _, headers = await user_session(client)
    authenticator = authenticator_for(settings)
    await register(client, headers, authenticator)
    good = authenticator.get(await login_options(client))

    broken_json = dict(good, response=dict(good["response"], clientDataJSON="bm90LWpzb24"))
    broken_signature = dict(good, response=dict(good["response"], signature="AAAA"))
    for credential in (broken_json, broken_signature):
        response = await client.post("/auth/passkey", json={"credential": credential})
        assert response.status_code == 401, response.text
    for body in ({}, {"credential": {"id": "x"}}, {"credential": dict(good, type="password")}):
        response = await client.post("/auth/passkey", json=body)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
    garbage = dict(good, response={"clientDataJSON": "e30", "attestationObject": "oA"})
    response = await client.post(
        "/users/me/passkeys", json={"name": "x", "credential": garbage}, headers=headers
    )
    assert response.status_code == 400, response.text


async def test_deleting_the_account_deletes_its_passkeys(
    client: httpx.AsyncClient, settings: Settings, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, headers = await user_session(client)
    key = authenticator_for(settings)
    await register(client, headers, key)

    assert (await client.delete("/users/me", headers=headers)).status_code == 204

    assert await test_db["passkeys"].count_documents({}) == 0
    assert (await passkey_login(client, key)).status_code == 401
