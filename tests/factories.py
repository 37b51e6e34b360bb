"""Factory functions for test data: unique, valid users unless told otherwise."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

_counter = itertools.count(1)
DEFAULT_PASSWORD = "test-password-1234"


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
    return {k: v for k, v in payload.items() if v is not ...}


async def create_user(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    """Register a user through the API and return the created representation."""
    response = await client.post("/users", json=user_payload(**overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
