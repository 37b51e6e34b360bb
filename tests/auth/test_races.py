"""Sessions under concurrency and faults: single-use refresh tokens, revocation that sticks,
a password change that is whole even when its answer is lost, no 500s."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from scripts.localdb import LocalServer
from tests.accounts.faults import faulty_app, password_works, tokens_work, user_write
from tests.factories import DEFAULT_PASSWORD, bearer, create_user, login, user_session
from tests.races import PARALLEL, TRIALS, race
from tests.secret_scan import SecretLedger
from tests.smtp_server import Mailbox


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/auth/refresh", json={"refresh_token": token})


async def test_a_refresh_token_is_used_at_most_once(client: httpx.AsyncClient) -> None:
    user, _ = await user_session(client)
    for trial in range(TRIALS):
        tokens = await login(client, user["username"])
        statuses, _ = await race(
            PARALLEL, lambda _, token=tokens["refresh_token"]: _refresh(client, token)
        )
        assert statuses == {200: 1, 401: PARALLEL - 1}, (trial, statuses)


class Thief:
    """Keeps a stolen session alive by refreshing it, several rotations in flight at once."""

    def __init__(self, client: httpx.AsyncClient, tokens: dict[str, Any]) -> None:
        self.client = client
        self.held: list[dict[str, Any]] = [tokens]
        self.stop = asyncio.Event()
        # Set once a rotation has gone through (or the session is already dead): from then
        # on the thief is mid-rotation whenever it is not between two refreshes.
        self.rotating = asyncio.Event()

    async def run(self) -> None:
        try:
            while not self.stop.is_set():
                response = await _refresh(self.client, self.held[-1]["refresh_token"])
                if response.status_code != 200:
                    return
                self.held.append(response.json())
                self.rotating.set()
        finally:
            self.rotating.set()

    async def still_in(self) -> bool:
        """Does any token the thief ever got still open the account?"""
        for tokens in self.held:
            if (await _refresh(self.client, tokens["refresh_token"])).status_code == 200:
                return True
            me = await self.client.get("/users/me", headers=bearer(tokens))
            if me.status_code == 200:
                return True
        return False


async def _race_thieves_against(
    client: httpx.AsyncClient, username: str, revoke: Any, password: str = DEFAULT_PASSWORD
) -> bool:
    thieves = [Thief(client, await login(client, username, password)) for _ in range(4)]
    runs = [asyncio.create_task(thief.run()) for thief in thieves]
    # Every thief has rotated at least once and is sending its next refresh when the owner
    # revokes, however slowly the machine runs.
    await asyncio.gather(*(thief.rotating.wait() for thief in thieves))
    response = await revoke()
    assert response.status_code == 204, response.text
    for thief in thieves:
        thief.stop.set()
    await asyncio.gather(*runs)
    return any([await thief.still_in() for thief in thieves])


async def test_no_session_survives_logout_all_whatever_refreshes_interleave(
    client: httpx.AsyncClient,
) -> None:
    user, _ = await user_session(client)
    for trial in range(TRIALS):
        owner = await login(client, user["username"])
        survived = await _race_thieves_against(
            client,
            user["username"],
            lambda owner=owner: client.post("/auth/logout-all", headers=bearer(owner)),
        )
        assert not survived, f"a stolen session survived logout-all in trial {trial}"


async def test_no_other_session_survives_a_password_change(client: httpx.AsyncClient) -> None:
    user, _ = await user_session(client)
    password = DEFAULT_PASSWORD
    for trial in range(TRIALS):
        owner = await login(client, user["username"], password)
        new_password = f"{DEFAULT_PASSWORD}-{trial}"
        survived = await _race_thieves_against(
            client,
            user["username"],
            lambda owner=owner, old=password, new=new_password: client.put(
                "/users/me/password",
                json={"current_password": old, "new_password": new},
                headers=bearer(owner),
            ),
            password,
        )
        assert not survived, f"a stolen session survived a password change in trial {trial}"
        # The owner's own session lives on: its refresh token still works.
        assert (await _refresh(client, owner["refresh_token"])).status_code == 200
        password = new_password


async def test_parallel_password_changes_from_one_current_password_have_one_winner(
    client: httpx.AsyncClient,
) -> None:
    _, auth = await user_session(client)
    statuses, _ = await race(
        PARALLEL,
        lambda i: client.put(
            "/users/me/password",
            json={"current_password": DEFAULT_PASSWORD, "new_password": f"new-password-{i:04d}"},
            headers=auth,
        ),
    )
    assert statuses[204] == 1, statuses
    assert set(statuses) <= {204, 401, 403}, statuses


async def test_parallel_wrong_logins_never_500(client: httpx.AsyncClient) -> None:
    user, _ = await user_session(client)
    for trial in range(TRIALS):
        # A fresh name each trial, so the 30 race the upsert of a new failure counter.
        name = user["username"] if trial == 0 else f"nobody{trial}"
        statuses, responses = await race(
            30,
            lambda _, name=name: client.post(
                "/auth/token", data={"username": name, "password": "wrong-password"}
            ),
        )
        assert set(statuses) <= {401, 429}, (trial, statuses)
        assert all(r.headers["content-type"] == "application/problem+json" for r in responses)


async def test_a_password_change_whose_write_lost_its_answer_ended_every_old_token(
    mongo_server: LocalServer,
    started_app: LifespanManager,
    ledger: SecretLedger,
    smtp_server: tuple[str, int, Mailbox],
) -> None:
    async with faulty_app(mongo_server, started_app, ledger, smtp_server, user_write) as (
        client,
        proxy,
    ):
        user = await create_user(client)
        owner, thief = [await login(client, user["username"]) for _ in range(2)]
        proxy.lose = 1
        changed = await client.put(
            "/users/me/password",
            json={"current_password": DEFAULT_PASSWORD, "new_password": "brand-new-password-42"},
            headers=bearer(owner),
        )
        assert changed.status_code == 503, changed.text
        assert proxy.lost == 1
        assert await password_works(client, user["username"], "brand-new-password-42")
        assert not await password_works(client, user["username"], DEFAULT_PASSWORD)
        assert await tokens_work(client, thief) == (False, False)
        assert (await client.get("/users/me", headers=bearer(owner))).status_code == 401
