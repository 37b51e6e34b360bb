"""Password changes, hash upgrades, and constant-cost logins for unknown users."""

from __future__ import annotations

from typing import Any

import bcrypt
import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.factories import DEFAULT_PASSWORD, bearer, login, user_session


async def test_change_password_needs_the_current_one_and_ends_other_sessions(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, _ = await user_session(client)
    here = await login(client, user["username"])
    elsewhere = await login(client, user["username"])
    before = await test_db["users"].find_one({"username": user["username"]})
    assert before is not None

    wrong = await client.put(
        "/users/me/password",
        json={"current_password": "not-it-at-all", "new_password": "a-brand-new-one"},
        headers=bearer(here),
    )
    assert wrong.status_code == 403
    unchanged = await test_db["users"].find_one({"username": user["username"]})
    assert unchanged is not None
    assert unchanged["password_hash"] == before["password_hash"]

    short = await client.put(
        "/users/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "short"},
        headers=bearer(here),
    )
    assert short.status_code == 422

    changed = await client.put(
        "/users/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "a-brand-new-one"},
        headers=bearer(here),
    )
    assert changed.status_code == 204
    # Every access token issued before is void; the other session's refresh token is dead.
    assert (await client.get("/users/me", headers=bearer(elsewhere))).status_code == 401
    gone = await client.post("/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]})
    assert gone.status_code == 401
    # This session continues through its refresh token.
    continued = await client.post("/auth/refresh", json={"refresh_token": here["refresh_token"]})
    assert continued.status_code == 200
    assert (await client.get("/users/me", headers=bearer(continued.json()))).status_code == 200
    # The old password no longer logs in; the new one does.
    old = await client.post(
        "/auth/token", data={"username": user["username"], "password": DEFAULT_PASSWORD}
    )
    assert old.status_code == 401
    assert (await login(client, user["username"], "a-brand-new-one"))["access_token"]


async def test_bcrypt_hash_verifies_and_is_upgraded_to_argon2id(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, _ = await user_session(client)
    legacy = bcrypt.hashpw(b"legacy-password-1", bcrypt.gensalt(rounds=4)).decode()
    await test_db["users"].update_one(
        {"username": user["username"]}, {"$set": {"password_hash": legacy}}
    )
    await login(client, user["username"], "legacy-password-1")
    stored = await test_db["users"].find_one({"username": user["username"]})
    assert stored is not None
    assert stored["password_hash"].startswith("$argon2id$")
    await login(client, user["username"], "legacy-password-1")


async def test_unknown_user_gets_the_same_answer_as_a_wrong_password(
    client: httpx.AsyncClient,
) -> None:
    user, _ = await user_session(client)
    unknown = await client.post(
        "/auth/token", data={"username": "nobody-here", "password": "Unkn0wn-user-pw"}
    )
    wrong = await client.post(
        "/auth/token", data={"username": user["username"], "password": "Wr0ng-user-pw"}
    )
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["detail"] == wrong.json()["detail"]
    assert unknown.headers["www-authenticate"] == "Bearer"
