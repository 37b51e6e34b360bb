"""Admins read everyone's trail at `/audit-events`, filtered by user, type and time; role,
active-flag and email changes name who made them; N failed logins at once are N events."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx

from service.auth.security import PasswordHasher
from service.cli.admin import create_or_promote_admin
from service.users.schemas import UserCreate
from tests.audit.helpers import all_pages, types
from tests.factories import bearer, create_user, login, make_admin
from tests.races import PARALLEL, race

PROMOTED_PASSWORD = "promoted-password-12"


async def test_a_role_change_shows_the_admin_as_actor_and_the_user_sees_it(
    admin_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    admin = (await admin_client.get("/users/me")).json()
    user = await create_user(client)
    tokens = await login(client, user["username"])

    promoted = await admin_client.patch(
        f"/users/{user['id']}", json={"role": "admin", "is_active": True, "name": "Promoted"}
    )
    assert promoted.status_code == 200, promoted.text
    moved = await client.patch(
        "/users/me", json={"email": "moved@example.com"}, headers=bearer(tokens)
    )
    assert moved.status_code == 200, moved.text

    own = (await client.get("/users/me/events", headers=bearer(tokens))).json()
    assert types(own) == ["email.changed", "role.changed", "login.succeeded"]
    email, role = own[0], own[1]
    assert role["actor_id"] == admin["id"]  # an admin did it, not the user
    assert role["detail"] == {"old": "user", "new": "admin"}  # is_active did not change
    assert email["actor_id"] == user["id"]
    assert email["detail"] == {"old": user["email"], "new": "moved@example.com"}


async def test_a_refused_change_leaves_no_event(admin_client: httpx.AsyncClient) -> None:
    user = await create_user(admin_client)
    stale = await admin_client.patch(
        f"/users/{user['id']}", json={"is_active": False}, headers={"If-Match": '"0"'}
    )
    assert stale.status_code == 412, stale.text
    taken = await create_user(admin_client)
    clash = await admin_client.patch(f"/users/{user['id']}", json={"email": taken["email"]})
    assert clash.status_code == 409, clash.text
    events = await admin_client.get("/audit-events", params={"user_id": user["id"]})
    assert events.json() == []
    stored = (await admin_client.get(f"/users/{user['id']}")).json()
    assert stored["is_active"] is True


async def test_admin_filters_by_user_type_and_time(admin_client: httpx.AsyncClient) -> None:
    alice = await create_user(admin_client)
    bob = await create_user(admin_client)
    for person in (alice, bob, alice):
        await login(admin_client, person["username"])
    wrong = {"username": alice["username"], "password": "certainly-wrong-1"}
    assert (await admin_client.post("/auth/token", data=wrong)).status_code == 401
    deactivated = await admin_client.patch(f"/users/{bob['id']}", json={"is_active": False})
    assert deactivated.status_code == 200

    alices, _ = await all_pages(admin_client, f"/audit-events?user_id={alice['id']}&limit=2")
    assert types(alices) == ["login.failed", "login.succeeded", "login.succeeded"]
    failed, _ = await all_pages(admin_client, "/audit-events?type=login.failed")
    assert [event["user_id"] for event in failed] == [alice["id"]]
    (change,) = (await admin_client.get("/audit-events?type=active.changed")).json()
    assert change["detail"] == {"old": True, "new": False}

    everything, _ = await all_pages(admin_client, "/audit-events?limit=100")
    middle = everything[len(everything) // 2]["at"]
    older, _ = await all_pages(admin_client, "/audit-events?" + urlencode({"until": middle}))
    newer, _ = await all_pages(admin_client, "/audit-events?" + urlencode({"since": middle}))
    assert all(event["at"] < middle for event in older)
    assert all(event["at"] >= middle for event in newer)
    assert len(older) + len(newer) == len(everything)


async def test_n_failed_logins_at_once_are_n_events(app_with: Any) -> None:
    async with app_with(login_max_failures=100) as client:
        user = await create_user(client)
        form = {"username": user["username"], "password": "a-wrong-password"}
        statuses, _ = await race(PARALLEL, lambda _: client.post("/auth/token", data=form))
        assert statuses == {401: PARALLEL}
        await make_admin(client)
        failed, _ = await all_pages(client, "/audit-events?type=login.failed&limit=3")
        assert len(failed) == PARALLEL
        assert {event["user_id"] for event in failed} == {user["id"]}
        assert len({event["request_id"] for event in failed}) == PARALLEL


async def test_a_promotion_by_the_command_line_has_no_actor(
    admin_client: httpx.AsyncClient,
) -> None:
    user = await create_user(admin_client, password=PROMOTED_PASSWORD)
    data = UserCreate(username=user["username"], email=user["email"], password=PROMOTED_PASSWORD)
    hasher = PasswordHasher(time_cost=1, memory_cost_kib=8192, parallelism=1)
    promoted, created = await create_or_promote_admin(data, hasher)
    assert (created, promoted.role) == (False, "admin")
    (event,) = (await admin_client.get("/audit-events?type=role.changed")).json()
    assert (event["user_id"], event["actor_id"]) == (user["id"], None)
    assert event["detail"] == {"old": "user", "new": "admin"}
