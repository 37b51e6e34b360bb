"""Email verification through a real SMTP server, and logins that require it."""

from __future__ import annotations

import io

import httpx

from tests.conftest import AppFactory
from tests.factories import DEFAULT_PASSWORD, bearer, create_user, login, user_payload
from tests.races import race
from tests.smtp_server import Mailbox, token_of

SUBJECT = "Confirm your email address"


async def test_registration_mails_a_link_that_verifies_once(
    client: httpx.AsyncClient, mailbox: Mailbox, log_output: io.StringIO
) -> None:
    user = await create_user(client)
    assert user["is_verified"] is False
    token = token_of(await mailbox.wait_for(user["email"], SUBJECT))
    response = await client.post("/auth/verify", json={"token": token})
    assert response.status_code == 200, response.text
    assert response.json()["id"] == user["id"]
    assert response.json()["is_verified"] is True
    me = await client.get("/users/me", headers=bearer(await login(client, user["username"])))
    assert me.json()["is_verified"] is True
    again = await client.post("/auth/verify", json={"token": token})
    assert again.status_code == 400
    assert again.headers["content-type"] == "application/problem+json"
    assert token not in log_output.getvalue()


async def test_request_answers_alike_for_every_address(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    user = await create_user(client)
    await mailbox.wait_for(user["email"], SUBJECT)
    known = await client.post("/auth/verify/request", json={"email": user["email"]})
    unknown = await client.post("/auth/verify/request", json={"email": "ghost@example.com"})
    assert (known.status_code, known.text) == (unknown.status_code, unknown.text)
    assert known.status_code == 202
    second = await mailbox.wait_for(user["email"], SUBJECT, count=2)
    assert (await client.post("/auth/verify", json={"token": token_of(second)})).status_code == 200
    assert mailbox.to("ghost@example.com") == []


async def test_a_link_for_an_old_address_does_not_verify_the_new_one(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    user = await create_user(client)
    token = token_of(await mailbox.wait_for(user["email"], SUBJECT))
    headers = bearer(await login(client, user["username"]))
    changed = await client.patch(
        "/users/me", json={"email": "elsewhere@example.com"}, headers=headers
    )
    assert changed.status_code == 200
    assert (await client.post("/auth/verify", json={"token": token})).status_code == 400
    me = await client.get("/users/me", headers=headers)
    assert me.json()["is_verified"] is False


async def test_parallel_verifications_with_one_token_have_one_winner(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    user = await create_user(client)
    token = token_of(await mailbox.wait_for(user["email"], SUBJECT))
    counts, _ = await race(8, lambda _: client.post("/auth/verify", json={"token": token}))
    assert counts == {200: 1, 400: 7}, counts


async def test_unverified_users_cannot_log_in_when_required(
    app_with: AppFactory, mailbox: Mailbox
) -> None:
    async with app_with(require_verified_email=True) as other:
        payload = user_payload()
        assert (await other.post("/users", json=payload)).status_code == 201
        form = {"username": payload["username"], "password": DEFAULT_PASSWORD}
        refused = await other.post("/auth/token", data=form)
        assert refused.status_code == 403
        assert refused.json()["type"].endswith("email-not-verified")
        wrong = await other.post("/auth/token", data={**form, "password": "wrong-password-1"})
        assert wrong.status_code == 401  # a guesser learns nothing about verification
        token = token_of(await mailbox.wait_for(payload["email"], SUBJECT))
        assert (await other.post("/auth/verify", json={"token": token})).status_code == 200
        assert (await other.post("/auth/token", data=form)).status_code == 200
