"""Admins create users from name, email and avatar; the user chooses a password by mail.

Through the ASGI app with the real database and a real SMTP server: the invitation mail
arrives, the invited account cannot log in until its password is set, redeeming the
mailed link through the reset endpoint sets it (once, whatever runs in parallel), and
only an admin may leave the password out.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from tests.avatars import images
from tests.conftest import AppFactory
from tests.factories import bearer, create_user, login, make_admin, user_payload, user_session
from tests.races import race
from tests.smtp_server import Mailbox, html_of, text_of, token_of

SUBJECT = "Choose a password for your new account"
CHOSEN = "invited-and-chosen-42"


def _invitee() -> tuple[str, str]:
    """A fresh address (and its local part) nobody used in this run."""
    local = f"grace{uuid.uuid4().hex[:6]}"
    return local, f"{local}@example.com"


async def _cannot_log_in(client: httpx.AsyncClient, login_name: str, password: str) -> bool:
    response = await client.post("/auth/token", data={"username": login_name, "password": password})
    return response.status_code == 401


async def test_an_admin_creates_a_user_from_name_email_and_avatar_who_sets_a_password_by_mail(
    admin_client: httpx.AsyncClient,
    client: httpx.AsyncClient,
    mailbox: Mailbox,
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    local, email = _invitee()
    created = await admin_client.post(
        "/user",
        data={"name": "Grace Hopper", "email": email},
        files={"avatar": ("grace.png", images.png(40, 30), "image/png")},
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["username"] == local  # derived from the address
    assert user["name"] == "Grace Hopper"
    assert user["is_verified"] is False
    assert (await admin_client.get(user["avatar_url"])).status_code == 200
    # The audit trail names the admin who created the account.
    event = await test_db["audit_events"].find_one({"user_id": ObjectId(user["id"])})
    assert event is not None
    assert event["type"] == "account.invited"
    actor = await test_db["users"].find_one({"_id": event["actor_id"]})
    assert actor is not None
    assert actor["role"] == "admin"

    message = await mailbox.wait_for(email, SUBJECT)
    assert "http://testserver/account/reset-password?token=" in text_of(message)
    assert "/account/reset-password?token=" in html_of(message)
    token = token_of(message)
    # No mail to confirm the address besides: the invitation does that.
    assert [m["Subject"] for m in mailbox.to(email)] == [SUBJECT]

    # Before a password is chosen nothing logs in: not a guessed one, not even
    # what is stored in place of a hash.
    assert await _cannot_log_in(client, local, CHOSEN)
    assert await _cannot_log_in(client, email, "guessed-password-1")
    stored = await test_db["users"].find_one({"email": email})
    assert stored is not None
    assert await _cannot_log_in(client, email, stored["password_hash"])

    redeemed = await client.post(
        "/auth/reset-password", json={"token": token, "new_password": CHOSEN}
    )
    assert redeemed.status_code == 204, redeemed.text
    tokens = await login(client, email, CHOSEN)
    me = await client.get("/users/me", headers=bearer(tokens))
    assert me.json()["id"] == user["id"]
    assert me.json()["is_verified"] is True  # the link proved the mailbox


async def test_an_invitation_is_redeemed_once_of_many_at_once(
    admin_client: httpx.AsyncClient, client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    local, email = _invitee()
    created = await admin_client.post("/users", json={"email": email, "name": "Grace"})
    assert created.status_code == 201, created.text
    token = token_of(await mailbox.wait_for(email, SUBJECT))
    counts, responses = await race(
        10,
        lambda i: client.post(
            "/auth/reset-password", json={"token": token, "new_password": f"{CHOSEN}-{i}"}
        ),
    )
    assert counts[204] == 1, counts
    assert counts[400] == 9, counts
    assert all(
        r.json()["type"].endswith("invalid-token") for r in responses if r.status_code != 204
    )
    winner = next(i for i, r in enumerate(responses) if r.status_code == 204)
    await login(client, local, f"{CHOSEN}-{winner}")
    assert await _cannot_log_in(client, local, f"{CHOSEN}-{(winner + 1) % 10}")


async def test_anonymous_registration_without_password_or_username_is_422_naming_them(
    client: httpx.AsyncClient, mailbox: Mailbox, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, email = _invitee()
    cases = {
        ("password",): {"username": "nopassword", "email": email},
        ("username",): {"email": email, "password": CHOSEN},
        ("username", "password"): {"email": email, "name": "Grace"},
    }
    for missing, body in cases.items():
        avatar = {"avatar": ("grace.png", images.png(), "image/png")}
        for send in ({"json": body}, {"data": body, "files": avatar}):  # JSON, multipart
            response = await client.post("/users", **send)  # type: ignore[arg-type]
            assert response.status_code == 422, response.text
            assert response.headers["content-type"] == "application/problem+json"
            problem = response.json()
            assert tuple(e["loc"][-1] for e in problem["errors"]) == missing
            assert all(e["type"] == "missing" for e in problem["errors"])
            assert "only an admin" in problem["detail"]
    assert await test_db["users"].count_documents({"email": email}) == 0
    assert mailbox.to(email) == []


async def test_a_signed_in_non_admin_may_not_leave_the_password_out(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    _, auth = await user_session(client)
    _, email = _invitee()
    for body in ({"email": email, "name": "Grace"}, {"username": "graceh", "email": email}):
        response = await client.post("/users", json=body, headers=auth)
        assert response.status_code == 403, response.text
        assert response.json()["type"].endswith("admin-only")
    # With the password they register like anyone else.
    registered = await client.post("/users", json={**user_payload(email=email)}, headers=auth)
    assert registered.status_code == 201, registered.text
    assert await test_db["users"].count_documents({"email": email}) == 1


async def test_derived_usernames_take_a_suffix_when_taken_even_all_at_once(
    admin_client: httpx.AsyncClient,
) -> None:
    local = f"ada{uuid.uuid4().hex[:5]}"
    await create_user(admin_client, username=local)
    counts, responses = await race(
        6,
        lambda i: admin_client.post(
            "/users", json={"email": f"{local}@host{i}.example.com", "name": "Ada"}
        ),
    )
    assert counts == {201: 6}, counts
    names = {r.json()["username"] for r in responses}
    assert len(names) == 6
    assert local not in names
    assert all(name.startswith(local) and name[len(local) :].isdigit() for name in names)


async def test_an_admin_may_give_a_username_and_a_password_is_still_optional(
    admin_client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    _, email = _invitee()
    named = await admin_client.post("/users", json={"username": "g.hopper1", "email": email})
    assert named.status_code == 201, named.text
    assert named.json()["username"] == "g.hopper1"
    await mailbox.wait_for(email, SUBJECT)
    taken = await admin_client.post("/users", json={"username": "g.hopper1", "email": "x" + email})
    assert taken.status_code == 409
    assert taken.json()["errors"][0]["loc"] == ["body", "username"]


async def test_invitation_mails_draw_from_the_mail_budget(
    app_with: AppFactory, mailbox: Mailbox
) -> None:
    local, _ = _invitee()
    async with app_with(mail_budget_per_recipient=2, mail_budget_per_client=1000) as app:
        await make_admin(app)
        for i in range(4):
            response = await app.post("/users", json={"email": f"{local}+{i}@example.com"})
            assert response.status_code == 201, response.text
        metrics = (await app.get("/metrics")).text
    prefix = 'mails_withheld_total{budget="recipient",kind="invitation"} '
    (line,) = [line for line in metrics.splitlines() if line.startswith(prefix)]
    assert float(line.split()[-1]) == 2
    # Stopping the app drained its outbox: every mail it sent has arrived.
    with mailbox.lock:
        arrived = [m for m in mailbox.messages if str(m["To"]).startswith(local)]
    assert len(arrived) == 2
