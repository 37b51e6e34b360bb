"""The literal entry points: `GET /`, `/swagger`, and `POST /user` as an alias of `POST /users`."""

from __future__ import annotations

from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.avatars import images
from tests.factories import user_payload


async def test_index_names_the_service_and_links_to_its_parts(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "users-service"
    assert body["version"]
    for name in ("docs", "health", "metrics"):
        followed = await client.get(body["links"][name])
        assert followed.status_code == 200, name


async def test_swagger_redirects_to_the_docs(client: httpx.AsyncClient) -> None:
    response = await client.get("/swagger")
    assert response.status_code == 308
    assert response.headers["location"] == "/docs"


async def test_post_user_is_a_deprecated_alias_of_post_users(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    created = await client.post("/user", json=user_payload(username="singular"))
    assert created.status_code == 201
    assert created.headers["location"].endswith(f"/users/{created.json()['id']}")
    assert (await client.post("/user", json=user_payload(username="singular"))).status_code == 409
    invalid = await client.post("/user", json=user_payload(username="x"))
    assert invalid.status_code == 422
    assert invalid.headers["content-type"] == "application/problem+json"
    with_avatar = await client.post(
        "/user",
        data=user_payload(username="singular2"),
        files={"avatar": ("a.png", images.png(), "image/png")},
    )
    assert with_avatar.status_code == 201
    assert with_avatar.json()["avatar_url"]
    assert await test_db["users"].count_documents({}) == 2

    operation = (await client.get("/openapi.json")).json()["paths"]["/user"]["post"]
    assert operation["deprecated"] is True
    assert "/users" in operation["description"]
