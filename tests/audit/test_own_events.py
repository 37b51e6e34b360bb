"""A user reads their own security events at `/users/me/events`: newest first, paged like
`/users`, nobody else's, and without a secret in any of them."""

from __future__ import annotations

from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.audit.helpers import all_pages, types
from tests.factories import DEFAULT_PASSWORD, bearer, create_user, login

NEW_PASSWORD = "another-long-password-77"
AGENT = {"User-Agent": "audit-test-agent/1.0"}


async def test_a_user_sees_logins_password_change_and_session_ends_newest_first(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user = await create_user(client)
    name = user["username"]
    wrong = await client.post(
        "/auth/token", data={"username": name, "password": "not-the-password"}, headers=AGENT
    )
    assert wrong.status_code == 401
    first = await login(client, name)
    second = await login(client, name)
    changed = await client.put(
        "/users/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(first),
    )
    assert changed.status_code == 204, changed.text
    # Every access token issued before the change is void; this session's refresh works.
    renewed = await client.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert renewed.status_code == 200, renewed.text
    first = renewed.json()
    third = await login(client, name, NEW_PASSWORD)
    logout = await client.post(
        "/auth/logout", json={"refresh_token": third["refresh_token"]}, headers=bearer(third)
    )
    assert logout.status_code == 204
    sessions = (await client.get("/auth/sessions", headers=bearer(first))).json()
    (current,) = sessions  # the password change ended the second session
    ended = await client.delete(f"/auth/sessions/{current['id']}", headers=bearer(first))
    assert ended.status_code == 204
    assert (await client.post("/auth/logout-all", headers=bearer(first))).status_code == 204
    fourth = await login(client, name, NEW_PASSWORD)

    events, pages = await all_pages(client, "/users/me/events?limit=3", bearer(fourth))

    assert types(events) == [
        "login.succeeded",
        "session.ended",
        "session.ended",
        "session.ended",
        "login.succeeded",
        "password.changed",
        "login.succeeded",
        "login.succeeded",
        "login.failed",
    ]
    assert pages == 3
    assert [event["detail"].get("reason") for event in events[1:4]] == [
        "logout_all",
        "revoked",
        "logout",
    ]
    assert events[3]["detail"]["session"] != events[2]["detail"]["session"]
    assert events[-1]["detail"] == {"reason": "wrong_password"}
    assert events[-1]["user_agent"] == "audit-test-agent/1.0"
    assert events[-1]["actor_id"] is None  # whoever guessed is nobody we know
    times = [event["at"] for event in events]
    assert times == sorted(times, reverse=True)
    for event in events:
        assert event["user_id"] == user["id"]
        assert event["address"] == "127.0.0.1"
        assert event["request_id"]
    assert second  # ended by the password change: not an event of its own


async def test_another_users_events_stay_hidden(client: httpx.AsyncClient) -> None:
    owner = await create_user(client)
    await login(client, owner["username"])
    stranger = await create_user(client)
    tokens = await login(client, stranger["username"])

    mine = await client.get(
        "/users/me/events", params={"user_id": owner["id"]}, headers=bearer(tokens)
    )
    assert mine.status_code == 200
    assert {event["user_id"] for event in mine.json()} == {stranger["id"]}
    admins_only = await client.get(
        "/audit-events", params={"user_id": owner["id"]}, headers=bearer(tokens)
    )
    assert admins_only.status_code == 403
    assert admins_only.headers["content-type"] == "application/problem+json"
    anonymous = await client.get("/users/me/events")
    assert anonymous.status_code == 401


async def test_bad_paging_parameters_are_clear_problems(client: httpx.AsyncClient) -> None:
    user = await create_user(client)
    headers = bearer(await login(client, user["username"]))
    for params in ({"cursor": "not-a-cursor"}, {"limit": "0"}, {"type": "login.maybe"},
                   {"since": "yesterday"}):  # fmt: skip
        response = await client.get("/users/me/events", params=params, headers=headers)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def test_no_password_hash_or_token_is_stored_in_an_event(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user = await create_user(client)
    name = user["username"]
    await client.post("/auth/token", data={"username": name, "password": "a-wrong-guess-1"})
    await client.post("/auth/token", data={"username": "nobody-at-all", "password": "pw-123456"})
    tokens = await login(client, name)
    await client.put(
        "/users/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(tokens),
    )
    stored = await test_db["users"].find_one({"username": name})
    assert stored is not None
    secrets = [
        "a-wrong-guess-1",
        "pw-123456",
        "nobody-at-all",
        DEFAULT_PASSWORD,
        NEW_PASSWORD,
        stored["password_hash"],
        tokens["access_token"],
        tokens["refresh_token"],
    ]
    documents = [
        str(doc) async for doc in test_db["audit_events"].find({"type": {"$ne": "key.rotated"}})
    ]
    assert len(documents) == 4  # two failures, the login, the change
    for document in documents:
        for secret in secrets:
            assert secret not in document
