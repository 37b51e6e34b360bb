"""Who may do what: every user route x {anonymous, owner, other user, admin}.

Each case asserts the exact status and, for every refused write, that the stored
document did not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from tests.factories import bearer, login, make_admin, user_payload, user_session

ACTORS = ("anonymous", "owner", "other", "admin")


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # {id} is the owner's id
    body: dict[str, Any] | None
    expected: dict[str, int]  # actor -> status
    writes: bool


def _case(method: str, path: str, body: dict[str, Any] | None, *statuses: int) -> Case:
    return Case(method, path, body, dict(zip(ACTORS, statuses, strict=True)), method != "GET")


CASES = [
    _case("GET", "/users", None, 401, 200, 200, 200),
    _case("GET", "/users/{id}", None, 401, 200, 200, 200),
    _case(
        "PUT", "/users/{id}", {"username": "replaced", "email": "r@example.com"}, 401, 200, 403, 200
    ),
    _case("PATCH", "/users/{id}", {"name": "Patched"}, 401, 200, 403, 200),
    _case("PATCH", "/users/{id}", {"role": "admin"}, 401, 403, 403, 200),
    _case("PATCH", "/users/{id}", {"is_active": False}, 401, 403, 403, 200),
    _case(
        "PUT",
        "/users/{id}",
        {"username": "r2x", "email": "r2@example.com", "role": "admin"},
        401,
        403,
        403,
        200,
    ),
    _case("DELETE", "/users/{id}", None, 401, 204, 403, 204),
    _case("GET", "/users/me", None, 401, 200, 200, 200),
    _case("PATCH", "/users/me", {"name": "Me"}, 401, 200, 200, 200),
    _case("PATCH", "/users/me", {"role": "admin"}, 401, 403, 403, 200),
    _case("DELETE", "/users/me", None, 401, 204, 204, 204),
    _case(
        "PUT",
        "/users/me/password",
        {"current_password": "test-password-1234", "new_password": "brand-new-password"},
        401,
        204,
        204,
        403,  # the admin's current password is a different one
    ),
    _case("POST", "/users", {"role": "admin"}, 403, 403, 403, 201),
    _case("POST", "/users", {}, 201, 201, 201, 201),
    _case("POST", "/auth/logout-all", None, 401, 204, 204, 204),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path} {sorted(c.body or {})}")
async def test_access_matrix(
    case: Case, actor: str, client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    owner, owner_auth = await user_session(client)
    _, other_auth = await user_session(client)
    admin = await make_admin(client)
    client.headers.pop("Authorization")
    headers = {
        "anonymous": {},
        "owner": owner_auth,
        "other": other_auth,
        "admin": bearer(admin["tokens"]),
    }[actor]
    body = case.body
    if case.path == "/users" and case.method == "POST":
        body = user_payload(**(case.body or {}))
    before = await test_db["users"].find({}, {"_id": 1, "version": 1, "username": 1}).to_list()

    response = await client.request(
        case.method, case.path.format(id=owner["id"]), json=body, headers=headers
    )

    assert response.status_code == case.expected[actor], response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    if response.status_code == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    if case.writes and response.status_code >= 400:
        after = await test_db["users"].find({}, {"_id": 1, "version": 1, "username": 1}).to_list()
        assert after == before, "a refused write changed stored users"


async def test_inactive_user_cannot_log_in_and_their_tokens_stop_working(
    client: httpx.AsyncClient,
) -> None:
    user, auth = await user_session(client)
    admin = await make_admin(client)
    deactivated = await client.patch(f"/users/{user['id']}", json={"is_active": False})
    assert deactivated.status_code == 200
    assert deactivated.json()["is_active"] is False
    client.headers.pop("Authorization")

    assert (await client.get("/users/me", headers=auth)).status_code == 401
    refused = await client.post(
        "/auth/token", data={"username": user["username"], "password": "test-password-1234"}
    )
    assert refused.status_code == 401

    await client.patch(
        f"/users/{user['id']}", json={"is_active": True}, headers=bearer(admin["tokens"])
    )
    assert (await login(client, user["username"]))["access_token"]
