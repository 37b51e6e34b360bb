"""A password reset or change is all or nothing, whatever fault interrupts it.

The database is reached through a proxy that loses the answer to a chosen command (the
command itself is applied): the request then ends in a 503 between two of its steps.
From outside, either nothing happened (the old password and every old token work) or
all of it did (the new password works, every old access and refresh token is refused),
and a retry of the same reset finishes it.
"""

from __future__ import annotations

from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from scripts.localdb import LocalServer
from tests.accounts.faults import (
    faulty_app,
    password_works,
    token_claim,
    tokens_work,
    user_write,
)
from tests.factories import DEFAULT_PASSWORD, bearer, create_user, login
from tests.races import race
from tests.secret_scan import SecretLedger
from tests.smtp_server import Mailbox, token_of

NEW_PASSWORD = "brand-new-password-42"
NOTICE = "Your password was changed"


async def reset(client: httpx.AsyncClient, token: str, password: str) -> httpx.Response:
    """Redeem a reset link."""
    return await client.post(
        "/auth/reset-password", json={"token": token, "new_password": password}
    )


async def reset_link(
    client: httpx.AsyncClient, mailbox: Mailbox, email: str, count: int = 1
) -> str:
    """Ask for a reset link and return its token."""
    assert (await client.post("/auth/forgot-password", json={"email": email})).status_code == 202
    return token_of(await mailbox.wait_for(email, "Reset your password", count=count))


async def assert_all_happened(
    client: httpx.AsyncClient, username: str, new: str, old_sessions: list[dict[str, Any]]
) -> None:
    """New password in, old password out, every old access and refresh token refused."""
    assert await password_works(client, username, new)
    assert not await password_works(client, username, DEFAULT_PASSWORD)
    for tokens in old_sessions:
        assert await tokens_work(client, tokens) == (False, False)


async def test_a_reset_whose_write_lost_its_answer_is_whole_and_a_retry_finishes_it(
    mongo_server: LocalServer,
    started_app: LifespanManager,
    ledger: SecretLedger,
    smtp_server: tuple[str, int, Mailbox],
    mailbox: Mailbox,
) -> None:
    async with faulty_app(mongo_server, started_app, ledger, smtp_server, user_write) as (
        client,
        proxy,
    ):
        user = await create_user(client)
        sessions = [await login(client, user["username"]) for _ in range(2)]  # owner, thief
        token = await reset_link(client, mailbox, user["email"])

        proxy.lose = 1
        interrupted = await reset(client, token, NEW_PASSWORD)
        assert interrupted.status_code == 503, interrupted.text
        assert proxy.lost == 1
        await assert_all_happened(client, user["username"], NEW_PASSWORD, sessions)

        fresh = await login(client, user["username"], NEW_PASSWORD)
        assert (await reset(client, token, NEW_PASSWORD)).status_code == 204  # the retry
        # Repeating a finished reset changes nothing; another password cannot use the link.
        assert (await reset(client, token, NEW_PASSWORD)).status_code == 204
        assert (await reset(client, token, "another-password-77")).status_code == 400
        # The retry's sweep only ended sessions older than the reset.
        assert (await client.get("/users/me", headers=bearer(fresh))).status_code == 200
    # The app has stopped, its outbox drained: the owner was told exactly once.
    assert len([m for m in mailbox.to(user["email"]) if NOTICE in str(m["Subject"])]) == 1


async def test_a_reset_cut_off_after_the_claim_changed_nothing_until_its_retry(
    mongo_server: LocalServer,
    started_app: LifespanManager,
    ledger: SecretLedger,
    smtp_server: tuple[str, int, Mailbox],
    mailbox: Mailbox,
) -> None:
    async with faulty_app(mongo_server, started_app, ledger, smtp_server, token_claim) as (
        client,
        proxy,
    ):
        user = await create_user(client)
        old = await login(client, user["username"])
        token = await reset_link(client, mailbox, user["email"])

        proxy.lose = 1
        assert (await reset(client, token, NEW_PASSWORD)).status_code == 503
        assert proxy.lost == 1
        # Nothing happened: the old password and the old access token still work.
        assert await password_works(client, user["username"], DEFAULT_PASSWORD)
        assert not await password_works(client, user["username"], NEW_PASSWORD)
        assert (await client.get("/users/me", headers=bearer(old))).status_code == 200

        # Someone else holding the link cannot take the interrupted reset over.
        assert (await reset(client, token, "another-password-77")).status_code == 400
        assert (await reset(client, token, NEW_PASSWORD)).status_code == 204
        await assert_all_happened(client, user["username"], NEW_PASSWORD, [old])


async def test_parallel_redemptions_with_a_fault_between_the_steps(
    mongo_server: LocalServer,
    started_app: LifespanManager,
    ledger: SecretLedger,
    smtp_server: tuple[str, int, Mailbox],
    mailbox: Mailbox,
) -> None:
    parallel = 8
    async with faulty_app(mongo_server, started_app, ledger, smtp_server, user_write) as (
        client,
        proxy,
    ):
        for trial in range(3):
            user = await create_user(client)
            old = await login(client, user["username"])
            token = await reset_link(client, mailbox, user["email"])
            proxy.lose = 1
            passwords = [f"{NEW_PASSWORD}-{trial}-{i}" for i in range(parallel)]
            counts, answers = await race(
                parallel, lambda i, t=token, ps=passwords: reset(client, t, ps[i])
            )
            # One redemption claimed the link; its write was applied, its answer lost.
            assert counts == {503: 1, 400: parallel - 1}, (trial, counts)
            (winner,) = [p for p, a in zip(passwords, answers, strict=True) if a.status_code == 503]
            await assert_all_happened(client, user["username"], winner, [old])
            # A few of the losers' passwords (more would meet the login throttle).
            for other in [p for p in passwords if p != winner][:3]:
                assert not await password_works(client, user["username"], other)
            assert (await reset(client, token, winner)).status_code == 204


async def test_a_finished_reset_cannot_be_replayed_after_a_later_change(
    mongo_server: LocalServer,
    started_app: LifespanManager,
    ledger: SecretLedger,
    smtp_server: tuple[str, int, Mailbox],
    mailbox: Mailbox,
) -> None:
    async with faulty_app(mongo_server, started_app, ledger, smtp_server, user_write) as (
        client,
        proxy,
    ):
        user = await create_user(client)
        token = await reset_link(client, mailbox, user["email"])
        proxy.lose = 1
        assert (await reset(client, token, NEW_PASSWORD)).status_code == 503
        # Before the interrupted reset is retried, the owner changes the password again.
        owner = await login(client, user["username"], NEW_PASSWORD)
        changed = await client.put(
            "/users/me/password",
            json={"current_password": NEW_PASSWORD, "new_password": "owners-own-password-1"},
            headers=bearer(owner),
        )
        assert changed.status_code == 204
        # The stale reset does not bring its password back.
        assert (await reset(client, token, NEW_PASSWORD)).status_code == 400
        assert await password_works(client, user["username"], "owners-own-password-1")
        assert not await password_works(client, user["username"], NEW_PASSWORD)
