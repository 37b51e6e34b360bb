"""Every mail a stranger can cause draws from one budget per inbox and per client.

Mails are counted where they arrive: at the real SMTP server. Each app here is stopped
before counting, and stopping drains its outbox, so every mail it would ever send is in.
"""

from __future__ import annotations

import uuid

from service.core.config import Settings
from tests.conftest import AppFactory
from tests.factories import DEFAULT_PASSWORD, bearer, login, user_payload
from tests.races import race
from tests.smtp_server import Mailbox

ACCEPTED = "/auth/forgot-password", "/auth/verify/request"


def _inbox() -> tuple[str, str]:
    """A fresh victim: the local part of its address, and the address."""
    local = f"victim{uuid.uuid4().hex[:8]}"
    return local, f"{local}@example.com"


def _to_inbox(mailbox: Mailbox, local: str) -> int:
    """Mails delivered to the inbox, `+tag` variants of its address included."""
    with mailbox.lock:
        return sum(1 for m in mailbox.messages if str(m["To"]).split("@")[0].split("+")[0] == local)


def _metric(text: str, kind: str, budget: str) -> float:
    prefix = f'mails_withheld_total{{budget="{budget}",kind="{kind}"}} '
    (line,) = [line for line in text.splitlines() if line.startswith(prefix)]
    return float(line.split()[-1])


async def test_parallel_registrations_to_one_inbox_send_at_most_its_budget(
    app_with: AppFactory, mailbox: Mailbox
) -> None:
    local, _ = _inbox()
    async with app_with(mail_budget_per_recipient=3, mail_budget_per_client=1000) as app:
        counts, _ = await race(
            12,
            lambda i: app.post("/users", json=user_payload(email=f"{local}+{i}@example.com")),
        )
        assert counts == {201: 12}, counts  # every registration answers as usual
        withheld = _metric((await app.get("/metrics")).text, "verify_email", "recipient")
    assert _to_inbox(mailbox, local) == 3
    assert withheld == 9


async def test_the_register_login_repoint_loop_mails_the_victim_at_most_its_budget(
    app_with: AppFactory, mailbox: Mailbox
) -> None:
    local, victim = _inbox()
    loops = 8
    async with app_with(mail_budget_per_recipient=3) as app:
        for _ in range(loops):
            payload = user_payload(email=victim)
            assert (await app.post("/users", json=payload)).status_code == 201
            tokens = await login(app, payload["username"], DEFAULT_PASSWORD)
            moved = f"moved{uuid.uuid4().hex[:8]}@example.com"
            repointed = await app.patch("/users/me", json={"email": moved}, headers=bearer(tokens))
            assert repointed.status_code == 200  # the victim's address is free again
    assert _to_inbox(mailbox, local) == 3  # without the budget: one per loop, 8


async def test_every_route_that_mails_a_stranger_draws_from_one_budget(
    app_with: AppFactory, mailbox: Mailbox
) -> None:
    local, victim = _inbox()
    async with app_with(mail_budget_per_recipient=3) as app:
        assert (await app.post("/users", json=user_payload(email=victim))).status_code == 201
        answers = set()
        for path in ACCEPTED * 2:  # two mails within budget, then two withheld
            response = await app.post(path, json={"email": victim})
            answers.add((response.status_code, response.text))
        # Within budget or not, the answer is the same: it tells nobody anything.
        assert len(answers) == 1
        assert next(iter(answers))[0] == 202
        text = (await app.get("/metrics")).text
    assert _to_inbox(mailbox, local) == 3
    assert _metric(text, "reset_password", "recipient") == 1
    assert _metric(text, "verify_email", "recipient") == 1


async def test_one_client_mailing_many_inboxes_is_held_to_its_budget(
    app_with: AppFactory, mailbox: Mailbox
) -> None:
    local, _ = _inbox()
    async with app_with(mail_budget_per_client=4) as app:
        counts, _ = await race(
            10, lambda i: app.post("/users", json=user_payload(email=f"{local}{i}@example.com"))
        )
        assert counts == {201: 10}, counts
        text = (await app.get("/metrics")).text
    with mailbox.lock:
        delivered = [m for m in mailbox.messages if str(m["To"]).startswith(local)]
    assert len(delivered) == 4
    assert _metric(text, "verify_email", "client") == 6


async def test_the_budget_is_shared_by_every_worker(
    app_with: AppFactory, settings: Settings, mailbox: Mailbox
) -> None:
    # Two apps on one database stand for two workers: what one drew, the other sees.
    local, victim = _inbox()
    shared = {"mail_budget_per_recipient": 2, "mongodb_db": settings.mongodb_db}
    async with app_with(**shared) as first, app_with(**shared) as second:
        assert (await first.post("/users", json=user_payload(email=victim))).status_code == 201
        for worker in (second, first, second):
            response = await worker.post("/auth/forgot-password", json={"email": victim})
            assert response.status_code == 202
    assert _to_inbox(mailbox, local) == 2
