"""Password reset through a real SMTP server: mail, link, single use, expiry, no enumeration."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.accounts.faults import password_works, tokens_work
from tests.conftest import AppFactory
from tests.factories import DEFAULT_PASSWORD, bearer, create_user, login
from tests.races import race
from tests.smtp_server import Mailbox, html_of, text_of, token_of

NEW_PASSWORD = "brand-new-password-42"


async def _reset_mail(client: httpx.AsyncClient, mailbox: Mailbox, email: str) -> str:
    response = await client.post("/auth/forgot-password", json={"email": email})
    assert response.status_code == 202, response.text
    return token_of(await mailbox.wait_for(email, "Reset your password"))


async def test_reset_by_mail_sets_the_password_and_ends_every_session(
    client: httpx.AsyncClient, mailbox: Mailbox, log_output: io.StringIO
) -> None:
    user = await create_user(client)
    old = await login(client, user["username"])
    message_token = await _reset_mail(client, mailbox, user["email"])
    message = await mailbox.wait_for(user["email"], "Reset your password")
    assert "http://testserver/account/reset-password?token=" in text_of(message)
    assert "/account/reset-password?token=" in html_of(message)

    response = await client.post(
        "/auth/reset-password", json={"token": message_token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 204, response.text
    # The old password no longer works, the new one does; old sessions are gone.
    form = {"username": user["username"], "password": DEFAULT_PASSWORD}
    assert (await client.post("/auth/token", data=form)).status_code == 401
    await login(client, user["username"], NEW_PASSWORD)
    assert (await client.get("/users/me", headers=bearer(old))).status_code == 401
    refreshed = await client.post("/auth/refresh", json={"refresh_token": old["refresh_token"]})
    assert refreshed.status_code == 401
    await mailbox.wait_for(user["email"], "Your password was changed")
    # A used link does not work twice.
    again = await client.post(
        "/auth/reset-password", json={"token": message_token, "new_password": "another-one-99"}
    )
    assert again.status_code == 400
    assert again.json()["type"].endswith("invalid-token")
    assert message_token not in log_output.getvalue()
    assert NEW_PASSWORD not in log_output.getvalue()
    assert '"mail.sent"' in log_output.getvalue()


async def test_known_and_unknown_addresses_get_the_same_answer(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    user = await create_user(client)
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    answers: dict[str, set[tuple[int, str]]] = {"known": set(), "unknown": set()}
    for i in range(4):
        for kind, email in (("known", user["email"]), ("unknown", f"nobody{i}@example.com")):
            started = time.perf_counter()
            response = await client.post("/auth/forgot-password", json={"email": email})
            timings[kind].append(time.perf_counter() - started)
            answers[kind].add((response.status_code, response.text))
    assert answers["known"] == answers["unknown"]
    assert len(answers["known"]) == 1
    assert next(iter(answers["known"]))[0] == 202
    await mailbox.wait_for(user["email"], "Reset your password", count=4)
    assert not [m for m in mailbox.messages if str(m["To"]).startswith("nobody")]
    known, unknown = sorted(timings["known"])[1], sorted(timings["unknown"])[1]
    print(
        f"forgot-password median-ish: known {known * 1000:.1f} ms, unknown {unknown * 1000:.1f} ms"
    )


async def test_parallel_resets_with_one_token_have_one_winner(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    user = await create_user(client)
    old = await login(client, user["username"])
    token = await _reset_mail(client, mailbox, user["email"])
    counts, answers = await race(
        8,
        lambda i: client.post(
            "/auth/reset-password", json={"token": token, "new_password": f"{NEW_PASSWORD}-{i}"}
        ),
    )
    assert counts == {204: 1, 400: 7}, counts
    # The winner's password is the one set, and no token from before the reset works.
    (winner,) = [i for i, answer in enumerate(answers) if answer.status_code == 204]
    assert await password_works(client, user["username"], f"{NEW_PASSWORD}-{winner}")
    assert await tokens_work(client, old) == (False, False)


async def test_expired_and_forged_tokens_are_refused(
    client: httpx.AsyncClient, mailbox: Mailbox, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user = await create_user(client)
    token = await _reset_mail(client, mailbox, user["email"])
    # Age the stored token past its expiry (no purge has run: the query checks expiry).
    await test_db["account_tokens"].update_many(
        {}, {"$set": {"expires_at": datetime(2000, 1, 1, tzinfo=UTC)}}
    )
    for candidate in (token, "A" * 43):
        response = await client.post(
            "/auth/reset-password", json={"token": candidate, "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 400
    await login(client, user["username"])  # the password did not change


async def test_a_reset_link_dies_when_the_email_changes(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    user = await create_user(client)
    token = await _reset_mail(client, mailbox, user["email"])
    headers = bearer(await login(client, user["username"]))
    changed = await client.patch("/users/me", json={"email": "moved@example.com"}, headers=headers)
    assert changed.status_code == 200
    response = await client.post(
        "/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 400


async def test_forgot_password_is_throttled_per_address(app_with: AppFactory) -> None:
    async with app_with(account_mail_max_per_window=2) as other:
        statuses = [
            (await other.post("/auth/forgot-password", json={"email": "x@example.com"})).status_code
            for _ in range(3)
        ]
        assert statuses == [202, 202, 429]
        other_address = await other.post("/auth/forgot-password", json={"email": "y@example.com"})
        assert other_address.status_code == 202
