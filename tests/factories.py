"""Factory functions for test data: unique, valid users unless told otherwise."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from service.auth.security import PasswordHasher
from service.cli.admin import create_or_promote_admin
from service.users.schemas import UserCreate

_counter = itertools.count(1)
DEFAULT_PASSWORD = "test-password-1234"
ADMIN_PASSWORD = "admin-test-password-5678"
_cheap_hasher = PasswordHasher(time_cost=1, memory_cost_kib=8192, parallelism=1)


def user_payload(**overrides: Any) -> dict[str, Any]:
    """A valid `POST /users` body with a username and email no other call returns."""
    n = next(_counter)
    payload: dict[str, Any] = {
        "username": f"user{n:05d}",
        "email": f"user{n:05d}@example.com",
        "password": DEFAULT_PASSWORD,
        "name": f"Test User {n}",
    }
    payload.update(overrides)
    return payload


async def create_user(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    """Register a user through the API and return the created representation."""
    response = await client.post("/users", json=user_payload(**overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(
    client: httpx.AsyncClient, username: str, password: str = DEFAULT_PASSWORD
) -> dict[str, Any]:
    """Log in through `/auth/token` and return the token pair."""
    response = await client.post("/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    """The Authorization header for a token pair."""
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def make_admin(client: httpx.AsyncClient) -> dict[str, Any]:
    """Create an admin (as `create-admin` does), log `client` in as it, return the user."""
    n = next(_counter)
    data = UserCreate(
        username=f"admin{n:05d}", email=f"admin{n:05d}@example.com", password=ADMIN_PASSWORD
    )
    user, _ = await create_or_promote_admin(data, _cheap_hasher)
    tokens = await login(client, data.username, ADMIN_PASSWORD)
    client.headers.update(bearer(tokens))
    return {"id": str(user.id), "username": user.username, "tokens": tokens}


async def user_session(
    client: httpx.AsyncClient, **overrides: Any
) -> tuple[dict[str, Any], dict[str, str]]:
    """Register a user and log in; return the user and its Authorization header."""
    user = await create_user(client, **overrides)
    tokens = await login(client, user["username"], overrides.get("password", DEFAULT_PASSWORD))
    return user, bearer(tokens)
