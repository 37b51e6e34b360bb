"""What a genuine mail carries of a stranger's typing: a name on one line, no foreign link."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from tests.conftest import AppFactory
from tests.factories import create_user, user_payload, user_session
from tests.smtp_server import Mailbox, html_of, text_of

PHISHING = (
    "Ada\r\n\r\nSECURITY ALERT: your account is locked.\r\nUnlock it at https://evil.example/unlock"
)
URL = re.compile(r"(?:https?://|www\.)[^\s\"'<>]+", re.IGNORECASE)


def _links(text: str) -> list[str]:
    return URL.findall(text)


@pytest.mark.parametrize(
    "name",
    [
        PHISHING,
        "Ada\nLovelace",
        "Ada\tLovelace",
        "Ada\u0000",
        "Ada\u2028Lovelace",
        "\u202eecalevoL",
    ],
)
async def test_a_display_name_off_one_line_is_refused(client: httpx.AsyncClient, name: str) -> None:
    registered = await client.post("/users", json=user_payload(name=name))
    assert registered.status_code == 422, registered.text
    assert registered.headers["content-type"] == "application/problem+json"
    (error,) = registered.json()["errors"]
    assert error["loc"] == ["body", "name"]
    assert "single line" in error["msg"]
    _, auth = await user_session(client)
    patched = await client.patch("/users/me", json={"name": name}, headers=auth)
    assert patched.status_code == 422


async def test_names_on_one_line_in_any_script_are_kept(client: httpx.AsyncClient) -> None:
    for name in ("Ada Lovelace", "Zoë 😀", "Ali\u200cReza O\u2019Brien", "  Grace Hopper  "):
        created = await client.post("/users", json=user_payload(name=name))
        assert created.status_code == 201, created.text
        assert created.json()["name"] == name.strip()


async def test_the_documented_name_pattern_refuses_what_the_service_refuses(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]
    pattern = re.compile(schema["UserCreate"]["properties"]["name"]["anyOf"][0]["pattern"])
    assert pattern.search("Ada Lovelace")
    for refused in (PHISHING, "Ada\tLovelace", "   ", "Ada\u202e"):
        assert not pattern.search(refused)


async def test_a_stored_name_with_crlf_and_a_link_never_reaches_a_mail(
    client: httpx.AsyncClient, mailbox: Mailbox, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    # Stored before names were checked (or by another writer): the mail still holds.
    user = await create_user(client)
    await test_db["users"].update_one({"username": user["username"]}, {"$set": {"name": PHISHING}})
    assert (
        await client.post("/auth/forgot-password", json={"email": user["email"]})
    ).status_code == 202
    message = await mailbox.wait_for(user["email"], "Reset your password")
    text, html = text_of(message), html_of(message)
    # A name a mail client would turn into a link is left out: the username greets.
    assert text.splitlines()[0] == f"Hello {user['username']},"
    for part in (text, html):
        assert "evil.example" not in part
        assert "SECURITY ALERT" not in part
        assert _links(part)
        assert all(link.startswith("http://testserver/account/") for link in _links(part))


async def test_a_stored_name_on_several_lines_is_greeted_on_one(
    client: httpx.AsyncClient, mailbox: Mailbox, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user = await create_user(client)
    await test_db["users"].update_one(
        {"username": user["username"]}, {"$set": {"name": "Ada\r\n\r\nLovelace\u202e"}}
    )
    assert (
        await client.post("/auth/forgot-password", json={"email": user["email"]})
    ).status_code == 202
    text = text_of(await mailbox.wait_for(user["email"], "Reset your password"))
    assert text.splitlines()[0] == "Hello Ada Lovelace,"


async def test_mail_links_point_to_the_public_base_url_whatever_the_host_header(
    app_with: AppFactory, mailbox: Mailbox
) -> None:
    base = "https://accounts.example.com"
    forged = {"Host": "evil.example"}
    payload = user_payload()
    async with app_with(public_base_url=base) as app:
        assert (await app.post("/users", json=payload, headers=forged)).status_code == 201
        forgot = await app.post(
            "/auth/forgot-password", json={"email": payload["email"]}, headers=forged
        )
        assert forgot.status_code == 202
    messages = mailbox.to(payload["email"])
    assert len(messages) == 2  # the verification and the reset mail
    for message in messages:
        for part in (text_of(message), html_of(message)):
            assert "evil.example" not in part
            assert _links(part)
            assert all(link.startswith(f"{base}/account/") for link in _links(part))
