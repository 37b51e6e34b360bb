"""Uniqueness is the database's job: concurrent registrations of one name race fairly."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.factories import user_payload


async def test_twenty_concurrent_creates_of_one_username_give_one_201(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    payloads = [user_payload(username="contested") for _ in range(20)]
    responses = await asyncio.gather(*(client.post("/users", json=p) for p in payloads))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 19
    for response in responses:
        if response.status_code == 409:
            assert response.json()["errors"][0]["loc"] == ["body", "username"]
            assert "username" in response.json()["detail"]
    assert await test_db["users"].count_documents({"username": "contested"}) == 1


async def test_twenty_concurrent_creates_of_one_email_give_one_201(
    client: httpx.AsyncClient,
) -> None:
    payloads = [user_payload(email="same@example.com") for _ in range(20)]
    responses = await asyncio.gather(*(client.post("/users", json=p) for p in payloads))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 19
    conflicts = [r.json()["errors"][0]["loc"] for r in responses if r.status_code == 409]
    assert all(loc == ["body", "email"] for loc in conflicts)
