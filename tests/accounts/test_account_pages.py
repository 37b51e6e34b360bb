"""The pages mailed links open, over HTTP through the ASGI app (the browser tests are in
test_account_pages_browser.py): a GET uses nothing up, the form's POST does the work, and
every wrong or missing token gets a clear page with the right status."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest

from tests.conftest import AppFactory
from tests.factories import DEFAULT_PASSWORD, bearer, create_user, login
from tests.races import race
from tests.smtp_server import Mailbox, token_of
from tests.test_admission import SLOW_HASHING

VERIFY, RESET = "/account/verify-email", "/account/reset-password"
UNKNOWN_TOKEN = "A" * 43  # well formed, never issued
PAGE_HEADERS = {
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}


def _service_log(log_output: io.StringIO) -> str:
    """What the service logged: without the lines of the test's own HTTP client (httpx
    logs every URL it requests, tokens in query strings included)."""
    lines = log_output.getvalue().splitlines()
    return "\n".join(line for line in lines if '"logger":"httpx"' not in line)


def _assert_page(response: httpx.Response, status: int, heading: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    for name, value in PAGE_HEADERS.items():
        assert response.headers[name] == value
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy
    assert f"<h1>{heading}</h1>" in response.text


async def _verification_token(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> tuple[dict[str, Any], str]:
    user = await create_user(client)
    return user, token_of(await mailbox.wait_for(user["email"], "Confirm your email address"))


async def _reset_token(client: httpx.AsyncClient, mailbox: Mailbox) -> tuple[dict[str, Any], str]:
    user = await create_user(client)
    sent = await client.post("/auth/forgot-password", json={"email": user["email"]})
    assert sent.status_code == 202
    return user, token_of(await mailbox.wait_for(user["email"], "Reset your password"))


async def _is_verified(client: httpx.AsyncClient, username: str) -> bool:
    me = await client.get("/users/me", headers=bearer(await login(client, username)))
    verified: bool = me.json()["is_verified"]
    return verified


async def test_a_prefetch_uses_nothing_up_and_the_form_verifies_once(
    client: httpx.AsyncClient, mailbox: Mailbox, log_output: io.StringIO
) -> None:
    user, token = await _verification_token(client, mailbox)
    for _ in range(2):  # a mail scanner, then the person
        shown = await client.get(VERIFY, params={"token": token})
        _assert_page(shown, 200, "Confirm your email address")
        assert f'name="token" value="{token}"' in shown.text
    assert (await client.head(VERIFY, params={"token": token})).status_code == 200
    assert await _is_verified(client, user["username"]) is False

    done = await client.post(VERIFY, data={"token": token})
    _assert_page(done, 200, "Your email address is verified")
    assert token not in done.text
    assert await _is_verified(client, user["username"]) is True
    # The used link, opened or submitted again, says so.
    _assert_page(await client.get(VERIFY, params={"token": token}), 410, "This link cannot be used")
    _assert_page(await client.post(VERIFY, data={"token": token}), 410, "This link cannot be used")
    assert token not in _service_log(log_output)


async def test_the_reset_form_sets_the_password_once(
    client: httpx.AsyncClient, mailbox: Mailbox, log_output: io.StringIO
) -> None:
    user, token = await _reset_token(client, mailbox)
    shown = await client.get(RESET, params={"token": token})
    _assert_page(shown, 200, "Set your password")
    new = "page-set-password-71"
    form = {"token": token, "new_password": new, "confirm_password": new}
    done = await client.post(RESET, data=form)
    _assert_page(done, 200, "Your password is set")
    refused = {"username": user["username"], "password": DEFAULT_PASSWORD}
    assert (await client.post("/auth/token", data=refused)).status_code == 401
    await login(client, user["username"], new)
    again = {
        **form,
        "new_password": "page-other-password-72",
        "confirm_password": "page-other-password-72",
    }
    _assert_page(await client.post(RESET, data=again), 410, "This link cannot be used")
    _assert_page(await client.get(RESET, params={"token": token}), 410, "This link cannot be used")
    assert token not in _service_log(log_output)
    assert new not in _service_log(log_output)


@pytest.mark.parametrize(
    ("new_password", "confirmation", "reason"),
    [
        ("page-typed-once-81", "page-typed-twice-82", "The two passwords differ"),
        ("short7!", "short7!", "Choose a password of 8 to 128 characters"),
        ("x" * 129, "x" * 129, "Choose a password of 8 to 128 characters"),
        ("", "", "Choose a password of 8 to 128 characters"),
    ],
)
async def test_a_refused_password_shows_the_form_again_without_it(
    client: httpx.AsyncClient,
    mailbox: Mailbox,
    new_password: str,
    confirmation: str,
    reason: str,
) -> None:
    user, token = await _reset_token(client, mailbox)
    form = {"token": token, "new_password": new_password, "confirm_password": confirmation}
    shown = await client.post(RESET, data=form)
    _assert_page(shown, 422, "Set your password")
    assert reason in shown.text
    assert f'name="token" value="{token}"' in shown.text
    for typed in (new_password, confirmation):
        assert not typed or typed not in shown.text
    # Nothing was used up: the link still sets a password.
    good = {
        "token": token,
        "new_password": "page-after-refusal-83",
        "confirm_password": "page-after-refusal-83",
    }
    _assert_page(await client.post(RESET, data=good), 200, "Your password is set")
    await login(client, user["username"], "page-after-refusal-83")


@pytest.mark.parametrize("path", [VERIFY, RESET])
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"token": ""}, 400),
        ({"token": "short"}, 400),
        ({"token": "A" * 42 + "!"}, 400),
        ({"token": "A" * 129}, 400),
        ({"token": '"><script>alert(1)</script>' + "A" * 20}, 400),
        ({"token": UNKNOWN_TOKEN}, 410),
    ],
)
async def test_a_missing_damaged_or_unknown_token_gets_a_clear_page(
    client: httpx.AsyncClient, path: str, params: dict[str, str], status: int
) -> None:
    shown = await client.get(path, params=params)
    _assert_page(shown, status, "This link cannot be used")
    assert "<script>" not in shown.text
    form = {
        **params,
        "new_password": "page-unknown-token-91",
        "confirm_password": "page-unknown-token-91",
    }
    posted = await client.post(path, data=form)
    _assert_page(posted, status, "This link cannot be used")


@pytest.mark.parametrize("path", [VERIFY, RESET])
async def test_a_program_posting_no_form_gets_a_problem(
    client: httpx.AsyncClient, path: str
) -> None:
    as_json = await client.post(path, json={"token": UNKNOWN_TOKEN})
    assert as_json.status_code == 415
    assert as_json.headers["content-type"] == "application/problem+json"
    form_type = {"content-type": "application/x-www-form-urlencoded"}
    not_text = await client.post(path, content=b"token=\xff\xfe", headers=form_type)
    assert not_text.status_code == 400
    assert not_text.json()["type"].endswith("malformed-form")
    many = "&".join(f"f{i}=x" for i in range(50))
    flooded = await client.post(path, content=many, headers=form_type)
    assert flooded.status_code == 400


async def test_parallel_submissions_of_one_link_have_one_winner(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    _, token = await _verification_token(client, mailbox)
    counts, _ = await race(8, lambda _: client.post(VERIFY, data={"token": token}))
    assert counts == {200: 1, 410: 7}, counts
    _, token = await _reset_token(client, mailbox)
    counts, _ = await race(
        8,
        lambda i: client.post(
            RESET,
            data={
                "token": token,
                "new_password": f"page-race-{i}-pw",
                "confirm_password": f"page-race-{i}-pw",
            },
        ),
    )
    assert counts == {200: 1, 410: 7}, counts


async def test_a_busy_service_shows_the_form_again_with_retry_after(
    app_with: AppFactory, mailbox: Mailbox
) -> None:
    # One hashing slot held for a long hash: of a burst of submissions of one link, one
    # hashes and sets the password; the others are turned away before touching the link
    # and see the form again, to submit once the service has room.
    async with app_with(**SLOW_HASHING) as app:
        user, token = await _reset_token(app, mailbox)
        password = "page-busy-password-61"
        form = {"token": token, "new_password": password, "confirm_password": password}
        counts, answers = await race(6, lambda _: app.post(RESET, data=form))
        assert counts[200] == 1, counts
        assert counts[503] >= 1, counts
        assert set(counts) <= {200, 410, 503}, counts
        busy = next(answer for answer in answers if answer.status_code == 503)
        _assert_page(busy, 503, "Set your password")
        assert int(busy.headers["retry-after"]) >= 1
        assert f'name="token" value="{token}"' in busy.text
        assert password not in busy.text
        await login(app, user["username"], password)
