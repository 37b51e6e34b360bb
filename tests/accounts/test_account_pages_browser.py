"""The mailed links, clicked in a real browser: headless Chromium (Playwright) against the
service running as a real HTTP server that mails through a real SMTP server."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect
from pymongo import MongoClient

from scripts.localdb import LocalServer
from tests.service_process import running_service
from tests.smtp_server import Mailbox, text_of

LINK = re.compile(r"(https?://\S+\?token=([A-Za-z0-9_-]+))")
PASSWORD = "browser-first-password-1"
CONFIRMED_GREEN = "rgb(31, 136, 61)"  # the button colour of page.css: the style applied


@dataclass(frozen=True)
class Served:
    """The service process: its base URL and the file it logs to."""

    url: str
    log: Path


@pytest.fixture(scope="module")
def served_with_mail(
    mongo_server: LocalServer,
    smtp_server: tuple[str, int, Mailbox],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    """`python -m service serve` on a database of its own, mailing to the test SMTP server
    and logging at INFO (so the log scan below sees every line the service writes)."""
    host, port, _ = smtp_server
    log = tmp_path_factory.mktemp("pages") / "service.log"
    database = f"test_pages_{uuid.uuid4().hex[:8]}"
    env = {"SMTP_HOST": host, "SMTP_PORT": str(port), "SMTP_STARTTLS": "false", "LOG_LEVEL": "INFO"}
    with running_service(mongo_server.url, database, log, extra_env=env) as url:
        yield Served(url, log)
    with MongoClient[dict[str, object]](mongo_server.url) as client:
        client.drop_database(database)


@pytest.fixture
async def api(served_with_mail: Served) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the served API, over real HTTP."""
    async with httpx.AsyncClient(base_url=served_with_mail.url, timeout=60) as client:
        yield client


async def _register(api: httpx.AsyncClient) -> dict[str, str]:
    name = f"page{uuid.uuid4().hex[:10]}"
    user = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    response = await api.post("/users", json=user)
    assert response.status_code == 201, response.text
    return user


async def _mailed_link(mailbox: Mailbox, to: str, subject: str) -> tuple[str, str]:
    found = LINK.search(text_of(await mailbox.wait_for(to, subject)))
    assert found, "no link in the mail"
    return found.group(1), found.group(2)


async def _login_status(api: httpx.AsyncClient, username: str, password: str) -> int:
    form = {"username": username, "password": password}
    return (await api.post("/auth/token", data=form)).status_code


async def _is_verified(api: httpx.AsyncClient, user: dict[str, str]) -> bool:
    form = {"username": user["username"], "password": user["password"]}
    token = (await api.post("/auth/token", data=form)).json()["access_token"]
    me = await api.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    verified: bool = me.json()["is_verified"]
    return verified


async def _open(context: BrowserContext, link: str, status: int) -> tuple[Page, list[str]]:
    """Open `link` in a new tab; the page and the console messages it produces."""
    page = await context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    response = await page.goto(link)
    assert response is not None
    assert response.status == status
    return page, console


async def _submit(page: Page, button: str, status: int) -> None:
    async with page.expect_response(lambda r: r.request.method == "POST") as answer:
        await page.get_by_role("button", name=button).click()
    assert (await answer.value).status == status
    await page.wait_for_load_state()


def _assert_nothing_secret_logged(served: Served, *secrets: str) -> None:
    log = served.log.read_text()
    assert '"http.request"' in log  # the scan reads the real access log
    for secret in secrets:
        assert secret not in log


async def test_a_clicked_verification_link_verifies_and_a_prefetch_does_not(
    browser_context: BrowserContext,
    api: httpx.AsyncClient,
    mailbox: Mailbox,
    served_with_mail: Served,
) -> None:
    user = await _register(api)
    link, token = await _mailed_link(mailbox, user["email"], "Confirm your email address")
    assert link.startswith(f"{served_with_mail.url}/account/verify-email?token=")
    # A mail scanner fetches the link first: that uses nothing up.
    assert (await api.get(link)).status_code == 200

    page, console = await _open(browser_context, link, 200)
    await expect(page.get_by_role("heading")).to_have_text("Confirm your email address")
    assert await _is_verified(api, user) is False
    button = page.get_by_role("button", name="Confirm my email address")
    assert await button.evaluate("b => getComputedStyle(b).backgroundColor") == CONFIRMED_GREEN
    await _submit(page, "Confirm my email address", 200)
    await expect(page.get_by_role("heading")).to_have_text("Your email address is verified")
    assert await _is_verified(api, user) is True
    assert page.url == f"{served_with_mail.url}/account/verify-email"  # the token left the URL
    assert not [line for line in console if "Content Security Policy" in line], console

    # The same link again, clicked from the mail: a clear page saying it is used up.
    again, _ = await _open(browser_context, link, 410)
    await expect(again.get_by_role("heading")).to_have_text("This link cannot be used")
    await expect(again.get_by_role("alert")).to_contain_text("already used")
    _assert_nothing_secret_logged(served_with_mail, token)


async def test_a_clicked_reset_link_sets_a_password_to_log_in_with(
    browser_context: BrowserContext,
    api: httpx.AsyncClient,
    mailbox: Mailbox,
    served_with_mail: Served,
) -> None:
    user = await _register(api)
    assert (
        await api.post("/auth/forgot-password", json={"email": user["email"]})
    ).status_code == 202
    link, token = await _mailed_link(mailbox, user["email"], "Reset your password")
    assert (await api.get(link)).status_code == 200  # a prefetch

    page, console = await _open(browser_context, link, 200)
    await expect(page.get_by_role("heading")).to_have_text("Set your password")
    # Two different passwords: the form comes back with the reason, and empty.
    await page.fill("#new_password", "browser-typed-once-2")
    await page.fill("#confirm_password", "browser-typed-twice-3")
    await _submit(page, "Set password", 422)
    await expect(page.get_by_role("alert")).to_contain_text("The two passwords differ")
    await expect(page.locator("#new_password")).to_have_value("")
    assert "browser-typed-once-2" not in await page.content()
    assert await _login_status(api, user["username"], PASSWORD) == 200  # nothing changed yet

    new = "browser-new-password-4"
    await page.fill("#new_password", new)
    await page.fill("#confirm_password", new)
    await _submit(page, "Set password", 200)
    await expect(page.get_by_role("heading")).to_have_text("Your password is set")
    assert await _login_status(api, user["username"], new) == 200
    assert await _login_status(api, user["username"], PASSWORD) == 401
    assert not [line for line in console if "Content Security Policy" in line], console

    again, _ = await _open(browser_context, link, 410)
    await expect(again.get_by_role("heading")).to_have_text("This link cannot be used")
    _assert_nothing_secret_logged(served_with_mail, token, new, "browser-typed-once-2")
