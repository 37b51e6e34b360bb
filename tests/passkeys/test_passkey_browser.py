"""The ceremony page in headless Chromium with the DevTools virtual authenticator, against
a real service process: sign in with a password, add a passkey, sign out, sign in with it.

WebAuthn needs a secure context and a domain as RP id: `http://localhost:PORT` is both,
so the page is opened on `localhost` with `WEBAUTHN_RP_ID=localhost`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, ConsoleMessage, Response, expect
from pymongo.asynchronous.database import AsyncDatabase

from scripts.localdb import LocalServer, free_port
from service.core.config import Settings
from tests.factories import DEFAULT_PASSWORD, create_user
from tests.service_process import running_service

VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


@pytest.fixture(scope="module")
def passkey_service(
    mongo_server: LocalServer, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A service process whose relying party is `localhost` on its own port: (API base on
    127.0.0.1, the page's origin on localhost)."""
    port = free_port()
    origin = f"http://localhost:{port}"
    with running_service(
        mongo_server.url,
        settings.mongodb_db,
        tmp_path_factory.mktemp("passkeys") / "service.log",
        port=port,
        extra_env={"WEBAUTHN_RP_ID": "localhost", "WEBAUTHN_ORIGINS": origin},
    ) as base_url:
        yield base_url, origin


async def test_a_passkey_registered_in_chromium_signs_in(
    browser_context: BrowserContext,
    passkey_service: tuple[str, str],
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    base_url, origin = passkey_service
    async with httpx.AsyncClient(base_url=base_url) as api:
        user = await create_user(api)
    page = await browser_context.new_page()
    console_errors: list[str] = []
    failed_calls: list[str] = []

    def note(message: ConsoleMessage) -> None:
        # A refused resource shows as its response below; anything else (a CSP
        # violation, a script error) is a fault of the page.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            console_errors.append(message.text)

    def check(response: Response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            failed_calls.append(f"{response.status} {response.url}")

    page.on("console", note)
    page.on("response", check)
    cdp = await browser_context.new_cdp_session(page)
    await cdp.send("WebAuthn.enable")
    added = await cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})
    authenticator_id = added["authenticatorId"]

    response = await page.goto(f"{origin}/passkeys")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    await page.fill("#username", user["username"])
    await page.fill("#password", DEFAULT_PASSWORD)
    await page.click("#password-login button")
    await expect(page.locator("#who")).to_have_text(user["username"])

    await page.fill("#passkey-name", "Chromium")
    await page.click("#add-passkey button")
    await expect(page.locator("#passkeys li")).to_have_count(1)
    await expect(page.locator("#passkeys li")).to_contain_text("Chromium")
    held = await cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(held["credentials"]) == 1
    assert held["credentials"][0]["isResidentCredential"] is True
    assert held["credentials"][0]["rpId"] == "localhost"

    await page.click("#logout")
    await expect(page.locator("#status")).to_have_text("Signed out.")
    await expect(page.locator("#signed-in")).to_be_hidden()
    await expect(page.locator("#who")).to_have_text("")

    # Usernameless: the page sends no name; the authenticator offers its passkey.
    await page.click("#passkey-login button")
    await expect(page.locator("#status")).to_have_text(f"Signed in as {user['username']}.")
    await expect(page.locator("#who")).to_have_text(user["username"])
    await expect(page.locator("#error")).to_have_text("")
    held = await cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert held["credentials"][0]["signCount"] >= 1

    stored = await test_db["passkeys"].find_one({"name": "Chromium"})
    assert stored is not None
    assert stored["sign_count"] == held["credentials"][0]["signCount"]
    passkey_events = {"$regex": "^passkey[.]"}
    events = [e["type"] async for e in test_db["audit_events"].find({"type": passkey_events})]
    assert sorted(events) == ["passkey.added", "passkey.used"]
    assert console_errors == []
    assert failed_calls == []
