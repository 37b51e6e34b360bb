"""The users resource over real HTTP semantics, against the real database."""

from __future__ import annotations

from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.factories import DEFAULT_PASSWORD, create_user, user_payload

PROBLEM = "application/problem+json"


async def test_create_returns_201_location_etag_and_no_secret(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    payload = user_payload(username="Ada.Lovelace", email="Ada@Example.COM", name="  Ada  ")
    response = await admin_client.post("/users", json=payload)

    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "ada.lovelace"
    assert body["email"] == "ada@example.com"
    assert body["name"] == "Ada"
    assert body["role"] == "user"
    assert body["is_active"] is True
    assert body["avatar_url"] is None
    assert body["created_at"].endswith("Z")
    assert response.headers["location"] == f"http://testserver/users/{body['id']}"
    assert response.headers["etag"].startswith('"')
    assert "password" not in response.text
    assert "hash" not in response.text

    stored = await test_db["users"].find_one({"username": "ada.lovelace"})
    assert stored is not None
    assert stored["password_hash"].startswith("$argon2id$")
    assert DEFAULT_PASSWORD not in str(stored)


async def test_create_rejects_invalid_fields_with_422_naming_them(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    cases = {
        "username": user_payload(username="ab"),
        "email": user_payload(email="not-an-email"),
        "password": user_payload(password="Zq7#x"),
        "name": user_payload(name="   "),
    }
    for field, payload in cases.items():
        response = await admin_client.post("/users", json=payload)
        assert response.status_code == 422, field
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert ["body", field] in [error["loc"] for error in problem["errors"]]
        assert problem["request_id"] == response.headers["x-request-id"]
        assert "Zq7#x" not in response.text  # submitted values are not echoed
    assert await test_db["users"].count_documents({"role": "user"}) == 0


async def test_username_must_start_with_letter_or_digit(admin_client: httpx.AsyncClient) -> None:
    response = await admin_client.post("/users", json=user_payload(username="_hidden"))
    assert response.status_code == 422
    ok = await admin_client.post("/users", json=user_payload(username="9lives.x-y_z"))
    assert ok.status_code == 201


async def test_mass_assignment_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    for unknown in (
        {"password_hash": "x"},
        {"id": "0" * 24},
        {"created_at": "2020-01-01T00:00:00Z"},
    ):
        response = await client.post("/users", json=user_payload(**unknown))
        assert response.status_code == 422, unknown
        assert response.json()["errors"][0]["type"] == "extra_forbidden"
    for admin_only in ({"role": "admin"}, {"is_active": False}):
        response = await client.post("/users", json=user_payload(**admin_only))
        assert response.status_code == 403, admin_only
        assert response.json()["type"].endswith("admin-only")
    assert await test_db["users"].count_documents({}) == 0


async def test_malformed_json_is_400_problem(admin_client: httpx.AsyncClient) -> None:
    response = await admin_client.post(
        "/users", content=b'{"username": "x",', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["title"] == "Malformed JSON"


async def test_non_json_body_is_415(admin_client: httpx.AsyncClient) -> None:
    response = await admin_client.post(
        "/users", content=b"username=x", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == PROBLEM
    missing = await admin_client.post("/users", content=b"{}")
    assert missing.status_code == 415


async def test_duplicate_username_and_email_are_409_naming_the_field(
    admin_client: httpx.AsyncClient,
) -> None:
    first = await create_user(admin_client)
    same_name = await admin_client.post(
        "/users", json=user_payload(username=first["username"].upper())
    )
    assert same_name.status_code == 409
    assert same_name.json()["errors"][0]["loc"] == ["body", "username"]
    assert "username" in same_name.json()["detail"]

    same_email = await admin_client.post("/users", json=user_payload(email=first["email"].upper()))
    assert same_email.status_code == 409
    assert same_email.json()["errors"][0]["loc"] == ["body", "email"]


async def test_get_returns_etag_and_304_when_unchanged(admin_client: httpx.AsyncClient) -> None:
    user = await create_user(admin_client)
    response = await admin_client.get(f"/users/{user['id']}")
    assert response.status_code == 200
    assert response.json() == user
    etag = response.headers["etag"]

    cached = await admin_client.get(f"/users/{user['id']}", headers={"if-none-match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag

    weak = await admin_client.get(
        f"/users/{user['id']}", headers={"if-none-match": f'"x", W/{etag}'}
    )
    assert weak.status_code == 304
    other = await admin_client.get(f"/users/{user['id']}", headers={"if-none-match": '"other"'})
    assert other.status_code == 200


async def test_unknown_and_malformed_ids(admin_client: httpx.AsyncClient) -> None:
    missing = await admin_client.get("/users/" + "a" * 24)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert missing.json()["type"].endswith("user-not-found")
    malformed = await admin_client.get("/users/not-an-id")
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["loc"] == ["path", "user_id"]


async def test_patch_is_a_merge_patch(admin_client: httpx.AsyncClient) -> None:
    user = await create_user(admin_client, name="Grace Hopper")
    response = await admin_client.patch(
        f"/users/{user['id']}",
        json={"email": "Grace@Navy.example"},
        headers={"content-type": "application/merge-patch+json"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "grace@navy.example"
    assert body["name"] == "Grace Hopper"
    assert body["username"] == user["username"]
    assert body["updated_at"] >= user["updated_at"]

    cleared = await admin_client.patch(f"/users/{user['id']}", json={"name": None})
    assert cleared.json()["name"] is None
    refused = await admin_client.patch(f"/users/{user['id']}", json={"username": None})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "username"]
    empty = await admin_client.patch(f"/users/{user['id']}", json={})
    assert empty.status_code == 200
    assert empty.json() == cleared.json()


async def test_put_replaces_every_mutable_field(admin_client: httpx.AsyncClient) -> None:
    user = await create_user(admin_client, name="Old Name")
    response = await admin_client.put(
        f"/users/{user['id']}", json={"username": "renamed", "email": "renamed@example.com"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["email"], body["name"]) == (
        "renamed",
        "renamed@example.com",
        None,
    )
    incomplete = await admin_client.put(f"/users/{user['id']}", json={"username": "only"})
    assert incomplete.status_code == 422
    fetched = await admin_client.get(f"/users/{user['id']}")
    assert fetched.json() == body


async def test_update_to_a_taken_username_is_409_and_changes_nothing(
    admin_client: httpx.AsyncClient,
) -> None:
    taken = await create_user(admin_client)
    user = await create_user(admin_client)
    response = await admin_client.patch(
        f"/users/{user['id']}", json={"username": taken["username"]}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["loc"] == ["body", "username"]
    response = await admin_client.patch(f"/users/{user['id']}", json={"email": taken["email"]})
    assert response.status_code == 409
    assert response.json()["errors"][0]["loc"] == ["body", "email"]
    assert (await admin_client.get(f"/users/{user['id']}")).json() == user


async def test_stale_if_match_is_412_and_changes_nothing(admin_client: httpx.AsyncClient) -> None:
    user = await create_user(admin_client)
    first = await admin_client.get(f"/users/{user['id']}")
    stale_etag = first.headers["etag"]
    updated = await admin_client.patch(
        f"/users/{user['id']}", json={"name": "New"}, headers={"if-match": stale_etag}
    )
    assert updated.status_code == 200
    assert updated.headers["etag"] != stale_etag

    for method, body in (
        ("PATCH", {"name": "Lost"}),
        ("PUT", {"username": "x1y", "email": "a@b.co"}),
    ):
        response = await admin_client.request(
            method, f"/users/{user['id']}", json=body, headers={"if-match": stale_etag}
        )
        assert response.status_code == 412, method
        assert response.headers["content-type"] == PROBLEM
    deleted = await admin_client.delete(f"/users/{user['id']}", headers={"if-match": stale_etag})
    assert deleted.status_code == 412
    current = await admin_client.get(f"/users/{user['id']}")
    assert current.json()["name"] == "New"
    star = await admin_client.patch(
        f"/users/{user['id']}", json={"name": "Star"}, headers={"if-match": "*"}
    )
    assert star.status_code == 200


async def test_delete_is_204_then_404(admin_client: httpx.AsyncClient) -> None:
    user = await create_user(admin_client)
    response = await admin_client.delete(f"/users/{user['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert (await admin_client.get(f"/users/{user['id']}")).status_code == 404
    assert (await admin_client.delete(f"/users/{user['id']}")).status_code == 404
    assert (await admin_client.patch(f"/users/{user['id']}", json={"name": "x"})).status_code == 404


async def test_anonymous_requests_are_refused_before_any_lookup(client: httpx.AsyncClient) -> None:
    # Whether an id exists is not for anonymous callers to learn: 401 for both.
    existing = await create_user(client)
    for user_id in (existing["id"], "6744a1f0c2b5e3a1d4f0afff"):
        assert (await client.get(f"/users/{user_id}")).status_code == 401
        assert (await client.patch(f"/users/{user_id}", json={"name": "x"})).status_code == 401
        assert (await client.delete(f"/users/{user_id}")).status_code == 401
