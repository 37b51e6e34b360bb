"""The two ceremonies as a page runs them: options from the service, the authenticator's
answer back to it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.passkeys.authenticator import SoftAuthenticator


async def registration_options(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> dict[str, Any]:
    """Creation options for the signed-in user."""
    response = await client.post("/users/me/passkeys/registration-options", headers=headers)
    assert response.status_code == 200, response.text
    options: dict[str, Any] = response.json()
    return options


async def register(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    authenticator: SoftAuthenticator,
    name: str = "Laptop",
) -> dict[str, Any]:
    """Register a passkey on `authenticator` for the signed-in user; the stored passkey."""
    credential = authenticator.create(await registration_options(client, headers))
    response = await client.post(
        "/users/me/passkeys", json={"name": name, "credential": credential}, headers=headers
    )
    assert response.status_code == 201, response.text
    passkey: dict[str, Any] = response.json()
    return passkey


async def login_options(client: httpx.AsyncClient, username: str | None = None) -> dict[str, Any]:
    """Request options, for `username` or (None) for whoever holds a passkey."""
    body = {} if username is None else {"username": username}
    response = await client.post("/auth/passkey/options", json=body)
    assert response.status_code == 200, response.text
    options: dict[str, Any] = response.json()
    return options


async def send_assertion(client: httpx.AsyncClient, credential: dict[str, Any]) -> httpx.Response:
    """Post an assertion to the login endpoint."""
    return await client.post("/auth/passkey", json={"credential": credential})


async def passkey_login(
    client: httpx.AsyncClient, authenticator: SoftAuthenticator, username: str | None = None
) -> httpx.Response:
    """A whole passkey login: options, the authenticator's signature, the token request."""
    options = await login_options(client, username)
    return await send_assertion(client, authenticator.get(options))
