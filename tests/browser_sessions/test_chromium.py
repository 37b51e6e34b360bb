"""Browser sessions in headless Chromium: a front end on another origin logs in, refreshes
by cookie, calls the API with the in-memory access token and logs out; an attacker's page
on another site cannot use the session, and page script never reads the refresh token.

The API is served on http://localhost:P1, the front end on http://localhost:P2 (another
origin on the same site, as app.example.com is to api.example.com), the attacker on
http://127.0.0.1:P3 (another site).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.async_api import BrowserContext

from scripts.localdb import LocalServer, free_port
from tests.browser_sessions.pages import ATTACKER_PAGE, FRONT_END_PAGE, static_site
from tests.factories import DEFAULT_PASSWORD, user_payload
from tests.service_process import running_service

COOKIE = "__Secure-refresh"


@pytest.fixture(scope="module")
def sites(
    mongo_server: LocalServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """The API with cookie sessions for the front end's origin, the front end, the attacker."""
    front_port = free_port()
    api_port = free_port()
    api = f"http://localhost:{api_port}"
    front_end = f"http://localhost:{front_port}"
    with (
        running_service(
            mongo_server.url,
            f"browser_sessions_{uuid.uuid4().hex[:8]}",
            tmp_path_factory.mktemp("browser-sessions") / "service.log",
            port=api_port,
            extra_env={"SESSION_COOKIES": "true", "CORS_ORIGINS": front_end},
        ),
        static_site(FRONT_END_PAGE % {"api": api}, front_port),
        static_site(ATTACKER_PAGE % {"api": api, "path": "/auth/browser/refresh"}) as evil,
    ):
        yield {"api": api, "front_end": front_end, "attacker": f"http://127.0.0.1:{evil}"}


def _user(api: str) -> dict[str, str]:
    payload = user_payload()
    response = httpx.post(
        f"{api.replace('localhost', '127.0.0.1')}/users", json=payload, timeout=60
    )
    assert response.status_code == 201, response.text
    return payload


async def _refresh_cookies(context: BrowserContext, api: str) -> list[dict[str, object]]:
    return [c for c in await context.cookies(f"{api}/auth/browser/refresh") if c["name"] == COOKIE]


async def test_a_front_end_on_another_origin_runs_a_whole_session(
    browser_context: BrowserContext, sites: dict[str, str]
) -> None:
    user = _user(sites["api"])
    page = await browser_context.new_page()
    await page.goto(sites["front_end"])

    login = await page.evaluate("([u, p]) => login(u, p)", [user["username"], DEFAULT_PASSWORD])
    assert login == {"status": 200, "keys": ["access_token", "expires_in", "token_type"]}
    [cookie] = await _refresh_cookies(browser_context, sites["api"])
    assert cookie["httpOnly"] is True
    assert cookie["secure"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/auth/browser"
    assert await page.evaluate("me()") == {"status": 200, "username": user["username"]}

    assert await page.evaluate("refresh()") == 200
    [rotated] = await _refresh_cookies(browser_context, sites["api"])
    assert rotated["value"] != cookie["value"]
    assert await page.evaluate("me()") == {"status": 200, "username": user["username"]}

    assert await page.evaluate("logout()") == 204
    assert await _refresh_cookies(browser_context, sites["api"]) == []
    assert await page.evaluate("refresh()") == 401


async def test_a_cross_site_form_post_is_refused_and_the_session_survives(
    browser_context: BrowserContext, sites: dict[str, str]
) -> None:
    user = _user(sites["api"])
    page = await browser_context.new_page()
    await page.goto(sites["front_end"])
    assert (await page.evaluate("([u, p]) => login(u, p)", [user["username"], DEFAULT_PASSWORD]))[
        "status"
    ] == 200
    [before] = await _refresh_cookies(browser_context, sites["api"])

    async with page.expect_response(f"{sites['api']}/auth/browser/refresh") as answer:
        await page.goto(sites["attacker"])
    response = await answer.value
    assert response.status == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert (await response.json())["type"].endswith("cross-site-request")

    # Nothing was spent or revoked: the front end's cookie still rotates.
    [after] = await _refresh_cookies(browser_context, sites["api"])
    assert after["value"] == before["value"]
    await page.goto(sites["front_end"])
    assert await page.evaluate("refresh()") == 200


async def test_page_script_cannot_read_the_refresh_cookie(
    browser_context: BrowserContext, sites: dict[str, str]
) -> None:
    user = _user(sites["api"])
    page = await browser_context.new_page()
    await page.goto(sites["front_end"])
    await page.evaluate("([u, p]) => login(u, p)", [user["username"], DEFAULT_PASSWORD])
    [cookie] = await _refresh_cookies(browser_context, sites["api"])
    # Even a script running on the API's own origin, under the cookie's path, sees nothing.
    await page.goto(f"{sites['api']}/auth/browser/token")
    assert await page.evaluate("document.cookie") == ""
    await page.goto(sites["front_end"])
    assert cookie["value"] not in await page.evaluate(
        "document.cookie + JSON.stringify(localStorage)"
    )
