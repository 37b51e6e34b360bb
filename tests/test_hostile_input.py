"""Hostile input is a 4xx problem document on every route, never a 500."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from bson import ObjectId

from service.users.cursor import Cursor
from tests.factories import create_user, user_payload, user_session

PROBLEM = "application/problem+json"
VALIDATION = "urn:users-service:problem:validation-error"
MALFORMED_JSON = "urn:users-service:problem:malformed-json"
JSON = {"content-type": "application/json"}


def _problem(response: httpx.Response, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["type"] == problem_type
    return body


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # One hour east of UTC on the first representable day: year 0 once in UTC.
        ("created_after", "0001-01-01T00:00:00+01:00"),
        ("created_before", "9999-12-31T23:59:59-01:00"),
    ],
)
async def test_out_of_range_dates_in_filters_are_422(
    admin_client: httpx.AsyncClient, name: str, value: str
) -> None:
    response = await admin_client.get("/users", params={name: value})
    body = _problem(response, 422, VALIDATION)
    assert body["errors"][0]["loc"] == ["query", name]


async def test_dates_must_be_rfc3339_with_an_offset(admin_client: httpx.AsyncClient) -> None:
    for value in ("0.5", "2026-01-01", "2026-01-01T00:00:00"):
        response = await admin_client.get("/users", params={"created_after": value})
        _problem(response, 422, VALIDATION)
    fine = await admin_client.get("/users", params={"created_after": "2026-01-01T00:00:00Z"})
    assert fine.status_code == 200


async def test_out_of_range_date_inside_a_cursor_is_422(admin_client: httpx.AsyncClient) -> None:
    year_zero = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    cursor = Cursor("-created_at", year_zero, ObjectId()).encode()
    response = await admin_client.get("/users", params={"cursor": cursor})
    body = _problem(response, 422, VALIDATION)
    assert body["errors"][0]["loc"] == ["query", "cursor"]
    # A cursor the service could have issued still works.
    issued = Cursor("-created_at", datetime.now(UTC), ObjectId()).encode()
    assert (await admin_client.get("/users", params={"cursor": issued})).status_code == 200


async def test_lone_surrogates_are_422_on_every_json_route(client: httpx.AsyncClient) -> None:
    user, auth = await user_session(client)
    surrogate = '"\\ud800"'
    requests: list[tuple[str, str, str, list[str]]] = [
        ("PATCH", "/users/me", f'{{"name": {surrogate}}}', ["body", "name"]),
        ("PATCH", f"/users/{user['id']}", f'{{"name": {surrogate}}}', ["body", "name"]),
        (
            "PUT",
            f"/users/{user['id']}",
            f'{{"username": "{user["username"]}", "email": "{user["email"]}", '
            f'"name": {surrogate}}}',
            ["body", "name"],
        ),
        (
            "POST",
            "/users",
            f'{{"username": "lone", "email": "lone@example.com", "password": {surrogate}}}',
            ["body", "password"],
        ),
        ("POST", "/auth/refresh", f'{{"refresh_token": {surrogate}}}', ["body", "refresh_token"]),
        (
            "PUT",
            "/users/me/password",
            f'{{"current_password": {surrogate}, "new_password": "long-enough-1"}}',
            ["body", "current_password"],
        ),
    ]
    for method, path, body, loc in requests:
        response = await client.request(method, path, content=body, headers={**auth, **JSON})
        problem = _problem(response, 422, VALIDATION)
        assert problem["errors"][0]["loc"] == loc, (method, path)
        assert problem["errors"][0]["type"] == "string_unicode"
    # A surrogate pair is an ordinary character (here U+1F600) and is stored as such.
    ok = await client.patch(
        "/users/me", content='{"name": "Ada \\ud83d\\ude00"}', headers={**auth, **JSON}
    )
    assert ok.status_code == 200
    assert ok.json()["name"] == "Ada \U0001f600"


async def test_a_lone_surrogate_as_a_key_is_422_without_echoing_it(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/users", content='{"\\udfff": 1}', headers=JSON)
    problem = _problem(response, 422, VALIDATION)
    assert problem["errors"][0]["loc"] == ["body"]


@pytest.mark.parametrize(
    "body",
    [
        b"{",  # not JSON
        b'{"name": "\xff"}',  # not UTF-8
        b'{"name": "\xed\xa0\x80"}',  # a surrogate encoded as UTF-8: not UTF-8 either
        b"[" * 100_000 + b"]" * 100_000,  # nested deeper than any parser should follow
    ],
    ids=["syntax", "latin-1", "encoded-surrogate", "deep-nesting"],
)
async def test_malformed_json_is_the_same_400_on_every_json_route(
    client: httpx.AsyncClient, body: bytes
) -> None:
    user, auth = await user_session(client)
    routes = [
        ("POST", "/users"),
        ("PATCH", "/users/me"),
        ("PATCH", f"/users/{user['id']}"),
        ("PUT", f"/users/{user['id']}"),
        ("PUT", "/users/me/password"),
        ("POST", "/auth/refresh"),
        ("POST", "/auth/logout"),
    ]
    for method, path in routes:
        response = await client.request(method, path, content=body, headers={**auth, **JSON})
        problem = _problem(response, 400, MALFORMED_JSON)
        assert problem["title"] == "Malformed JSON", (method, path)


async def test_broken_multipart_is_a_typed_400_problem(client: httpx.AsyncClient) -> None:
    user, auth = await user_session(client)
    for method, path in (
        ("POST", "/users"),
        ("PUT", f"/users/{user['id']}/avatar"),
        ("POST", "/auth/token"),
    ):
        for content_type in ("multipart/form-data", "multipart/form-data; boundary=x"):
            response = await client.request(
                method,
                path,
                content=b"--y\r\nnot a part",
                headers={**auth, "content-type": content_type},
            )
            _problem(response, 400, "urn:users-service:problem:malformed-body")


async def test_json_auth_bodies_in_another_media_type_are_415(client: httpx.AsyncClient) -> None:
    _, auth = await user_session(client)
    for path in ("/auth/refresh", "/auth/logout"):
        response = await client.post(
            path, content=b"refresh_token=x", headers={**auth, "content-type": "text/plain"}
        )
        _problem(response, 415, "urn:users-service:problem:unsupported-media-type")


async def test_boolean_query_flags_take_only_true_or_false(
    admin_client: httpx.AsyncClient,
) -> None:
    await create_user(admin_client)
    for word in ("1", "yes", "on"):
        response = await admin_client.get("/users", params={"is_active": word})
        _problem(response, 422, VALIDATION)
    assert (await admin_client.get("/users", params={"is_active": "true"})).status_code == 200


async def test_admin_flags_must_be_json_booleans(admin_client: httpx.AsyncClient) -> None:
    response = await admin_client.post("/users", json=user_payload(is_active=0))
    body = _problem(response, 422, VALIDATION)
    assert body["errors"][0]["loc"] == ["body", "is_active"]
