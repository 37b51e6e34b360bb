"""Where mailed links point and what the account pages promise about themselves: links
to the service's pages or to an external front end, the content policy, the rate-limit
groups and the API document."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest
from pydantic import ValidationError

from service.core.config import Settings
from service.http.paths import RouteGroup, route_group
from tests.conftest import AppFactory
from tests.factories import create_user, user_payload
from tests.smtp_server import Mailbox, html_of, text_of

VERIFY, RESET = "/account/verify-email", "/account/reset-password"
UNKNOWN_TOKEN = "A" * 43  # well formed, never issued


async def test_mails_link_to_the_pages(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    user = await create_user(client)
    verification = await mailbox.wait_for(user["email"], "Confirm your email address")
    await client.post("/auth/forgot-password", json={"email": user["email"]})
    reset = await mailbox.wait_for(user["email"], "Reset your password")
    for message, path in ((verification, VERIFY), (reset, RESET)):
        for part in (text_of(message), html_of(message)):
            assert f"http://testserver{path}?token=" in part


async def test_the_inline_style_is_the_one_the_policy_allows(client: httpx.AsyncClient) -> None:
    shown = await client.get(VERIFY, params={"token": UNKNOWN_TOKEN})
    styles = re.findall(r"<style>(.*?)</style>", shown.text, re.DOTALL)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in shown.headers["content-security-policy"]
    assert "<script" not in shown.text


def test_page_forms_count_against_the_auth_limit_and_pages_are_reads() -> None:
    for path in (VERIFY, RESET):
        assert route_group("POST", path) is RouteGroup.AUTH
        assert route_group("GET", path) is RouteGroup.READ


async def test_the_pages_stay_out_of_the_api_document(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not [path for path in paths if path.startswith("/account/")]


async def test_links_can_point_at_an_external_front_end(
    app_with: AppFactory, mailbox: Mailbox
) -> None:
    front = "https://app.example.com/welcome"
    payload = user_payload()
    async with app_with(
        account_links_base_url=front + "/", public_base_url="https://api.example.com"
    ) as app:
        assert (await app.post("/users", json=payload)).status_code == 201
        verification = await mailbox.wait_for(payload["email"], "Confirm your email address")
        assert (
            await app.post("/auth/forgot-password", json={"email": payload["email"]})
        ).status_code == 202
        reset = await mailbox.wait_for(payload["email"], "Reset your password")
    for message, path in ((verification, VERIFY), (reset, RESET)):
        for part in (text_of(message), html_of(message)):
            assert f"{front}{path}?token=" in part
            assert "api.example.com" not in part


@pytest.mark.parametrize(
    "value",
    [
        "ftp://app.example.com",
        "app.example.com",
        "https://app.example.com/?next=1",
        "https://u:p@app.example.com",
    ],
)
def test_a_bad_link_base_fails_naming_the_variable(value: str) -> None:
    with pytest.raises(ValidationError, match="account_links_base_url"):
        Settings(account_links_base_url=value)
