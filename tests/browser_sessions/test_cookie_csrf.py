"""Browser sessions over HTTP: the refresh cookie's attributes, rotation, logout, CORS with
credentials, and the CSRF rules (Origin allow-list plus a custom header)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from service.core.config import Settings
from service.core.setting_types import Environment
from tests.conftest import AppFactory
from tests.factories import DEFAULT_PASSWORD, create_user
from tests.races import race
from tests.second_factor.helpers import code, enable_totp, step_now

FRONT_END = "http://app.localhost:5173"
COOKIE = "__Secure-refresh"
BROWSER = {"Origin": FRONT_END, "X-Requested-With": "fetch"}


@pytest.fixture
async def http(app_with: AppFactory) -> AsyncIterator[httpx.AsyncClient]:
    """An app with cookie sessions on for one front-end origin."""
    async with app_with(session_cookies=True, cors_origins=[FRONT_END]) as client:
        yield client


def _cookie_of(response: httpx.Response) -> tuple[str, str]:
    """The refresh cookie's value and its full Set-Cookie line."""
    lines = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    assert len(lines) == 1, lines
    name, _, rest = lines[0].partition("=")
    assert name == COOKIE
    return rest.split(";")[0].strip('"'), lines[0]


async def _log_in(http: httpx.AsyncClient) -> tuple[dict[str, Any], str, str]:
    user = await create_user(http)
    form = {"username": user["username"], "password": DEFAULT_PASSWORD}
    response = await http.post("/auth/browser/token", data=form, headers=BROWSER)
    assert response.status_code == 200, response.text
    value, _ = _cookie_of(response)
    return user, response.json()["access_token"], value


def _with(cookie: str, **headers: str) -> dict[str, str]:
    return {**BROWSER, "Cookie": f"{COOKIE}={cookie}", **headers}


async def test_login_sets_an_httponly_secure_lax_cookie_and_no_token_in_the_body(
    http: httpx.AsyncClient,
) -> None:
    user = await create_user(http)
    form = {"username": user["username"], "password": DEFAULT_PASSWORD}
    response = await http.post("/auth/browser/token", data=form, headers=BROWSER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    value, line = _cookie_of(response)
    attributes = {part.strip().split("=")[0].lower() for part in line.split(";")[1:]}
    assert {"httponly", "secure", "samesite", "path", "max-age"} <= attributes
    assert "SameSite=lax" in line
    assert "Path=/auth/browser" in line
    assert value not in response.text
    assert response.headers["cache-control"] == "no-store"
    # Credentialed CORS for the configured front end only.
    assert response.headers["access-control-allow-origin"] == FRONT_END
    assert response.headers["access-control-allow-credentials"] == "true"
    me = await http.get("/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["id"] == user["id"]


async def test_refresh_rotates_the_cookie_and_a_reused_one_ends_the_session(
    http: httpx.AsyncClient,
) -> None:
    _, _, first = await _log_in(http)
    rotated = await http.post("/auth/browser/refresh", headers=_with(first))
    assert rotated.status_code == 200, rotated.text
    second, _ = _cookie_of(rotated)
    assert second != first
    assert "refresh_token" not in rotated.json()
    reused = await http.post("/auth/browser/refresh", headers=_with(first))
    assert reused.status_code == 401
    assert reused.json()["type"].endswith("invalid-refresh-token")
    # The reuse revoked the session: the newer cookie dies with the stolen one.
    assert (await http.post("/auth/browser/refresh", headers=_with(second))).status_code == 401


async def test_one_cookie_refreshed_at_once_by_many_yields_one_session(
    http: httpx.AsyncClient,
) -> None:
    _, _, cookie = await _log_in(http)
    statuses, _ = await race(8, lambda _: http.post("/auth/browser/refresh", headers=_with(cookie)))
    assert statuses[200] == 1
    assert statuses[401] == 7


async def test_logout_revokes_the_session_and_clears_the_cookie(http: httpx.AsyncClient) -> None:
    _, _, cookie = await _log_in(http)
    response = await http.post("/auth/browser/logout", headers=_with(cookie))
    assert response.status_code == 204
    line = response.headers["set-cookie"]
    assert line.startswith(f"{COOKIE}=")
    assert "Max-Age=0" in line
    assert "Path=/auth/browser" in line
    assert (await http.post("/auth/browser/refresh", headers=_with(cookie))).status_code == 401
    # Without a cookie there is nothing to end; the answer is the same.
    assert (await http.post("/auth/browser/logout", headers=BROWSER)).status_code == 204
    assert (await http.post("/auth/browser/refresh", headers=BROWSER)).status_code == 401


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example", "X-Requested-With": "fetch"},  # another site
        # The same site as the front end: SameSite=Lax would let its cookie through.
        {"Origin": "http://evil.localhost:5173", "X-Requested-With": "fetch"},
        {"Origin": "null", "X-Requested-With": "fetch"},  # a sandboxed frame or a file
        {"Origin": FRONT_END},  # no custom header: what an HTML form post looks like
        {"X-Requested-With": "fetch"},  # no Origin, no Sec-Fetch-Site: not a page
        {"Sec-Fetch-Site": "same-site", "X-Requested-With": "fetch"},  # a sibling, no Origin
    ],
)
@pytest.mark.parametrize("path", ["/auth/browser/refresh", "/auth/browser/logout"])
async def test_a_cross_site_request_with_the_cookie_is_refused_and_changes_nothing(
    http: httpx.AsyncClient, headers: dict[str, str], path: str
) -> None:
    _, _, cookie = await _log_in(http)
    sent = {"Cookie": f"{COOKIE}={cookie}", **headers}
    response = await http.post(path, headers=sent)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("cross-site-request")
    assert "set-cookie" not in response.headers
    # The cookie was neither spent nor revoked.
    assert (await http.post("/auth/browser/refresh", headers=_with(cookie))).status_code == 200


async def test_a_cross_site_login_is_refused(http: httpx.AsyncClient) -> None:
    user = await create_user(http)
    form = {"username": user["username"], "password": DEFAULT_PASSWORD}
    headers = {"Origin": "http://evil.example", "X-Requested-With": "fetch"}
    response = await http.post("/auth/browser/token", data=form, headers=headers)
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


async def test_the_service_own_pages_pass_by_sec_fetch_site(http: httpx.AsyncClient) -> None:
    _, _, cookie = await _log_in(http)
    headers = {
        "Cookie": f"{COOKIE}={cookie}",
        "Sec-Fetch-Site": "same-origin",
        "X-Requested-With": "1",
    }
    assert (await http.post("/auth/browser/refresh", headers=headers)).status_code == 200


async def test_preflight_grants_credentials_only_to_configured_origins(
    http: httpx.AsyncClient,
) -> None:
    ask = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-requested-with",
    }
    allowed = await http.options("/auth/browser/refresh", headers={"Origin": FRONT_END, **ask})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == FRONT_END
    assert allowed.headers["access-control-allow-credentials"] == "true"
    refused = await http.options(
        "/auth/browser/refresh", headers={"Origin": "http://evil.example", **ask}
    )
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


async def test_browser_sessions_are_off_by_default(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/browser/refresh", headers=BROWSER)
    assert response.status_code == 404
    assert response.json()["type"].endswith("session-cookies-disabled")


def test_settings_refuse_a_wildcard_origin_and_insecure_cookies_outside_development() -> None:
    with pytest.raises(ValidationError, match="CORS_ORIGINS"):
        Settings(session_cookies=True, cors_origins="*")
    with pytest.raises(ValidationError, match="SESSION_COOKIE_SECURE"):
        Settings(environment=Environment.TEST, session_cookie_secure=False)
    assert Settings(session_cookie_secure=False).session_cookie_name == "refresh"


async def test_a_browser_login_with_a_second_factor_sets_the_cookie_only_after_the_code(
    http: httpx.AsyncClient,
) -> None:
    user = await create_user(http)
    token = (
        await http.post(
            "/auth/token", data={"username": user["username"], "password": DEFAULT_PASSWORD}
        )
    ).json()
    secret, _ = await enable_totp(http, {"Authorization": f"Bearer {token['access_token']}"})
    form = {"username": user["username"], "password": DEFAULT_PASSWORD}
    password_only = await http.post("/auth/browser/token", data=form, headers=BROWSER)
    assert password_only.status_code == 401
    assert password_only.json()["type"].endswith("second-factor-required")
    assert "set-cookie" not in password_only.headers  # no session from the password alone
    challenge = password_only.json()["challenge"]
    body = {"challenge": challenge, "code": code(secret, step_now())}
    refused = await http.post("/auth/browser/token/second-factor", json=body)  # no CSRF headers
    assert refused.status_code == 403
    completed = await http.post("/auth/browser/token/second-factor", json=body, headers=BROWSER)
    assert completed.status_code == 200, completed.text
    value, _ = _cookie_of(completed)
    assert set(completed.json()) == {"access_token", "token_type", "expires_in"}
    me = await http.get(
        "/users/me", headers={"Authorization": f"Bearer {completed.json()['access_token']}"}
    )
    assert me.json()["id"] == user["id"]
    refreshed = await http.post("/auth/browser/refresh", headers=_with(value))
    assert refreshed.status_code == 200
