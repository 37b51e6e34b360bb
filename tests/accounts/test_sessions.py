"""The caller's sessions: listed with their client, the current one marked, one ended."""

from __future__ import annotations

import httpx

from tests.factories import bearer, create_user, login


async def test_sessions_are_listed_and_one_can_be_ended(client: httpx.AsyncClient) -> None:
    user = await create_user(client)
    laptop = await login(client, user["username"])
    phone_response = await client.post(
        "/auth/token",
        data={"username": user["username"], "password": "test-password-1234"},
        headers={"User-Agent": "PhoneApp/2.0"},
    )
    phone = phone_response.json()
    listed = await client.get("/auth/sessions", headers=bearer(laptop))
    assert listed.status_code == 200
    sessions = listed.json()
    assert len(sessions) == 2
    current = [s for s in sessions if s["current"]]
    assert len(current) == 1
    other = next(s for s in sessions if not s["current"])
    assert other["user_agent"] == "PhoneApp/2.0"
    assert other["client_ip"] == "127.0.0.1"
    assert other["created_at"] <= other["last_used_at"]

    # Rotation keeps the session, moves its last use.
    rotated = await client.post("/auth/refresh", json={"refresh_token": phone["refresh_token"]})
    assert rotated.status_code == 200
    again = (await client.get("/auth/sessions", headers=bearer(laptop))).json()
    assert {s["id"] for s in again} == {s["id"] for s in sessions}

    ended = await client.delete(f"/auth/sessions/{other['id']}", headers=bearer(laptop))
    assert ended.status_code == 204
    dead = await client.post(
        "/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]}
    )
    assert dead.status_code == 401
    assert len((await client.get("/auth/sessions", headers=bearer(laptop))).json()) == 1
    assert (
        await client.delete(f"/auth/sessions/{other['id']}", headers=bearer(laptop))
    ).status_code == 404


async def test_another_users_session_is_not_found(client: httpx.AsyncClient) -> None:
    alice, bob = await create_user(client), await create_user(client)
    alice_tokens = await login(client, alice["username"])
    bob_tokens = await login(client, bob["username"])
    bob_session = (await client.get("/auth/sessions", headers=bearer(bob_tokens))).json()[0]
    response = await client.delete(
        f"/auth/sessions/{bob_session['id']}", headers=bearer(alice_tokens)
    )
    assert response.status_code == 404
    assert (await client.get("/auth/sessions")).status_code == 401
    refreshed = await client.post(
        "/auth/refresh", json={"refresh_token": bob_tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200
