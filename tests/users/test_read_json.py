"""The read routes render users without pydantic (`service.users.read_json`): the bytes a
client gets must be what `UserRead` itself would write, for every kind of stored user."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from service.users.schemas import UserRead
from tests.factories import create_user

AVATAR = {
    "blob_id": "0" * 24,
    "etag": "tag-1",
    "media_type": "image/png",
    "size": 10,
    "width": 1,
    "height": 1,
}


def expected(document: dict[str, Any], base_url: str) -> str:
    """What pydantic writes for this stored user, its avatar URL as the routes build it."""
    read = UserRead.model_validate({**document, "id": document["_id"]})
    avatar = document.get("avatar")
    if avatar:
        read.avatar_url = f"{base_url}/users/{document['_id']}/avatar?v={avatar['etag']}"
    return read.model_dump_json()


async def _stored_kinds(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> list[dict[str, Any]]:
    users = test_db["users"]
    plain = await create_user(admin_client, name="Zoë Ångström-Łukasiewicz ✓")
    with_avatar = await create_user(admin_client)
    await users.update_one({"_id": ObjectId(with_avatar["id"])}, {"$set": {"avatar": AVATAR}})
    # A user stored before `is_verified` existed, with no name and milliseconds in its times.
    legacy_id = ObjectId()
    await users.insert_one(
        {
            "_id": legacy_id,
            "username": "legacy01",
            "email": "legacy01@example.com",
            "name": None,
            "password_hash": "$argon2id$not-a-real-hash",
            "role": "admin",
            "is_active": False,
            "version": 3,
            "token_version": 0,
            "created_at": datetime(2020, 2, 29, 23, 59, 59, 999000, tzinfo=UTC),
            "updated_at": datetime(2021, 1, 1, tzinfo=UTC),
        }
    )
    ids = [ObjectId(plain["id"]), ObjectId(with_avatar["id"]), legacy_id]
    return [await users.find_one({"_id": user_id}) for user_id in ids]


async def test_one_user_is_rendered_as_the_read_model_writes_it(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    base_url = str(admin_client.base_url).rstrip("/")
    for document in await _stored_kinds(admin_client, test_db):
        response = await admin_client.get(f"/users/{document['_id']}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.text == expected(document, base_url)


async def test_a_list_page_is_rendered_as_the_read_model_writes_it(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    base_url = str(admin_client.base_url).rstrip("/")
    documents = await _stored_kinds(admin_client, test_db)
    response = await admin_client.get("/users?sort=username&limit=10")
    assert response.status_code == 200
    listed = {user["id"]: user for user in response.json()}
    for document in documents:
        text = expected(document, base_url)
        # Each item, byte for byte, is in the page's text in the model's field order.
        assert text in response.text
        assert listed[str(document["_id"])] == UserRead.model_validate_json(text).model_dump(
            mode="json"
        )
