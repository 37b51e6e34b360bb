"""Account changes by mail link, and the races of single-use things, each give exactly one
event: a reset link resets once, an address is verified once, of N password changes with
the same current password one happens, of N revocations of one session one ends it."""

from __future__ import annotations

import httpx

from tests.audit.helpers import types
from tests.factories import DEFAULT_PASSWORD, bearer, create_user, login
from tests.races import PARALLEL, race
from tests.smtp_server import Mailbox, token_of

NEW_PASSWORD = "the-reset-password-31"


async def events_of(client: httpx.AsyncClient, tokens: dict[str, str]) -> list[str]:
    """The caller's event types, newest first."""
    response = await client.get("/users/me/events", params={"limit": 100}, headers=bearer(tokens))
    assert response.status_code == 200, response.text
    return types(response.json())


async def test_a_reset_link_redeemed_at_once_and_again_records_one_reset(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    user = await create_user(client)
    assert (
        await client.post("/auth/forgot-password", json={"email": user["email"]})
    ).status_code == 202
    token = token_of(await mailbox.wait_for(user["email"], "Reset your password"))
    body = {"token": token, "new_password": NEW_PASSWORD}

    statuses, _ = await race(PARALLEL, lambda _: client.post("/auth/reset-password", json=body))
    assert statuses[204] >= 1
    again = await client.post("/auth/reset-password", json=body)  # repeats finish, change nothing
    assert again.status_code == 204

    tokens = await login(client, user["username"], NEW_PASSWORD)
    assert await events_of(client, tokens) == ["login.succeeded", "password.reset"]


async def test_verifying_an_address_is_an_event(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    user = await create_user(client)
    token = token_of(await mailbox.wait_for(user["email"], "Confirm your email address"))
    assert (await client.post("/auth/verify", json={"token": token})).status_code == 200
    tokens = await login(client, user["username"])
    listed = (await client.get("/users/me/events", headers=bearer(tokens))).json()
    assert types(listed) == ["login.succeeded", "email.verified"]
    assert listed[1]["detail"] == {"email": user["email"]}


async def test_of_n_password_changes_at_once_one_happens_and_one_is_recorded(
    client: httpx.AsyncClient,
) -> None:
    user = await create_user(client)
    tokens = await login(client, user["username"])

    async def change(i: int) -> httpx.Response:
        body = {"current_password": DEFAULT_PASSWORD, "new_password": f"{NEW_PASSWORD}-{i}"}
        return await client.put("/users/me/password", json=body, headers=bearer(tokens))

    statuses, _ = await race(PARALLEL, change)
    assert statuses == {204: 1, 403: PARALLEL - 1}
    renewed = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert await events_of(client, renewed.json()) == ["password.changed", "login.succeeded"]


async def test_of_n_revocations_of_one_session_one_ends_it_and_one_is_recorded(
    client: httpx.AsyncClient,
) -> None:
    user = await create_user(client)
    keeper = await login(client, user["username"])
    doomed = await login(client, user["username"])
    sessions = (await client.get("/auth/sessions", headers=bearer(doomed))).json()
    (target,) = [session["id"] for session in sessions if session["current"]]

    async def revoke(_: int) -> httpx.Response:
        return await client.delete(f"/auth/sessions/{target}", headers=bearer(keeper))

    statuses, _ = await race(PARALLEL, revoke)
    assert statuses == {204: 1, 404: PARALLEL - 1}
    again = await client.post(
        "/auth/logout", json={"refresh_token": doomed["refresh_token"]}, headers=bearer(keeper)
    )
    assert again.status_code == 204  # ends nothing more: no second event
    listed = await events_of(client, keeper)
    assert listed == ["session.ended", "login.succeeded", "login.succeeded"]
