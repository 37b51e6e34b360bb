"""The breach check against a real range-API server on loopback: k-anonymity, padding,
thresholds, fail-open and fail-closed, every route that sets a password, and a race."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from scripts.localdb import free_port
from tests.conftest import AppFactory
from tests.factories import DEFAULT_PASSWORD, bearer, login, user_payload
from tests.passwords.range_server import RangeCorpus, range_server, sha1_hex
from tests.races import race
from tests.smtp_server import Mailbox, token_of

BREACHED = "Velvet-Harbor-Crimson-71"  # strong to zxcvbn, but in the corpus 52 times
RARELY_BREACHED = "Quiet-Lantern-Orbit-308"  # in the corpus 3 times
CLEAN = "Mossy-Anvil-Sprocket-44"  # only in the padding, with count 0
PREFIX_PATH = re.compile(r"^/range/[0-9A-F]{5}$")


@pytest.fixture
def corpus() -> Iterator[RangeCorpus]:
    """The corpus the loopback server answers from."""
    return RangeCorpus(counts={BREACHED: 52, RARELY_BREACHED: 3}, padded_clean=[CLEAN])


@pytest.fixture
def hibp(corpus: RangeCorpus) -> Iterator[str]:
    """The loopback range server's base URL."""
    with range_server(corpus) as url:
        yield url


def _problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:users-service:problem:{slug}"
    return body


def _assert_only_prefixes(corpus: RangeCorpus, *passwords: str) -> None:
    assert corpus.requests, "the range API was never asked"
    for path, padding in corpus.requests:
        assert PREFIX_PATH.match(path), path
        assert padding == "true"
        for password in passwords:
            assert sha1_hex(password)[5:] not in path
            assert password not in path


def _metric(text: str, outcome: str) -> float:
    match = re.search(rf'^password_breach_checks_total{{outcome="{outcome}"}} (\S+)$', text, re.M)
    assert match, f"no {outcome} series"
    return float(match.group(1))


async def test_a_breached_password_is_refused_and_only_a_prefix_leaves(
    app_with: AppFactory, hibp: str, corpus: RangeCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    async with app_with(hibp_enabled=True, hibp_base_url=hibp) as http:
        before = (await http.get("/metrics")).text
        assert _metric(before, "breached") == _metric(before, "error") == 0  # pre-initialised
        response = await http.post("/users", json=user_payload(password=BREACHED))
        body = _problem(response, 422, "breached-password")
        assert body["errors"][0]["loc"] == ["body", "password"]
        assert body["errors"][0]["msg"]  # a hint on what to do instead
        assert BREACHED not in response.text
        # The clean password, whose suffix is in the padding with count 0, is accepted.
        created = await http.post("/users", json=user_payload(password=CLEAN))
        assert created.status_code == 201, created.text
        after = (await http.get("/metrics")).text
        assert (_metric(after, "breached"), _metric(after, "clean")) == (1, 1)
    _assert_only_prefixes(corpus, BREACHED, CLEAN)
    logs = capsys.readouterr().out  # the other app logs to stdout
    assert '"password.breach_checked"' in logs
    assert sha1_hex(BREACHED)[:5] in logs
    for secret in (BREACHED, CLEAN, sha1_hex(BREACHED), sha1_hex(BREACHED)[5:]):
        assert secret not in logs


async def test_the_threshold_decides_how_often_is_too_often(
    app_with: AppFactory, hibp: str
) -> None:
    async with app_with(hibp_enabled=True, hibp_base_url=hibp, hibp_min_count=10) as http:
        rare = await http.post("/users", json=user_payload(password=RARELY_BREACHED))
        assert rare.status_code == 201, rare.text
        common = await http.post("/users", json=user_payload(password=BREACHED))
        _problem(common, 422, "breached-password")


async def test_a_weak_password_is_refused_before_the_corpus_is_asked(
    app_with: AppFactory, hibp: str, corpus: RangeCorpus
) -> None:
    async with app_with(hibp_enabled=True, hibp_base_url=hibp) as http:
        response = await http.post("/users", json=user_payload(password="password1234"))
        _problem(response, 422, "weak-password")
    assert corpus.requests == []


@pytest.mark.parametrize("fail_open", [True, False])
async def test_a_server_that_is_down(
    app_with: AppFactory, test_db: AsyncDatabase[dict[str, Any]], fail_open: bool
) -> None:
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with app_with(hibp_enabled=True, hibp_base_url=down, hibp_fail_open=fail_open) as http:
        response = await http.post("/users", json=user_payload(password=BREACHED))
        if fail_open:
            assert response.status_code == 201, response.text
        else:
            body = _problem(response, 503, "breach-check-unavailable")
            assert response.headers["retry-after"]
            assert "nothing was changed" in body["detail"]
        assert _metric((await http.get("/metrics")).text, "error") == 1


@pytest.mark.parametrize("fail_open", [True, False])
async def test_a_server_that_stalls_is_given_up_on_after_the_timeout(
    app_with: AppFactory, corpus: RangeCorpus, fail_open: bool
) -> None:
    corpus.stall = True
    with range_server(corpus) as url:
        settings = {"hibp_base_url": url, "hibp_timeout_s": 0.5, "hibp_fail_open": fail_open}
        async with app_with(hibp_enabled=True, **settings) as http:
            payload = user_payload(password=CLEAN)
            response = await http.post("/users", json=payload)
            assert response.status_code == (201 if fail_open else 503), response.text
            corpus.stall = False  # answering again: a refused registration left nothing
            again = await http.post("/users", json=payload)
            assert again.status_code == (409 if fail_open else 201), again.text
    assert len(corpus.requests) == (1 if fail_open else 2)


async def test_a_server_error_counts_as_unavailable(
    app_with: AppFactory, corpus: RangeCorpus
) -> None:
    corpus.status = 500
    with range_server(corpus) as url:
        async with app_with(hibp_enabled=True, hibp_base_url=url, hibp_fail_open=False) as http:
            response = await http.post("/users", json=user_payload(password=CLEAN))
            _problem(response, 503, "breach-check-unavailable")


async def test_many_registrations_with_a_breached_password_at_once_all_fail(
    app_with: AppFactory, hibp: str, corpus: RangeCorpus
) -> None:
    async with app_with(hibp_enabled=True, hibp_base_url=hibp) as http:
        payloads = [user_payload(password=BREACHED) for _ in range(8)]
        statuses, _ = await race(8, lambda i: http.post("/users", json=payloads[i]))
        assert statuses == {422: 8}
        for payload in payloads:  # nobody was created: each can still register
            clean = {**payload, "password": CLEAN}
            assert (await http.post("/users", json=clean)).status_code == 201
    assert len(corpus.requests) >= 8
    _assert_only_prefixes(corpus, BREACHED, CLEAN)


async def test_a_password_change_to_a_breached_password_is_refused(
    app_with: AppFactory, hibp: str
) -> None:
    async with app_with(hibp_enabled=True, hibp_base_url=hibp) as http:
        payload = user_payload(password=CLEAN)
        assert (await http.post("/users", json=payload)).status_code == 201
        headers = bearer(await login(http, payload["username"], CLEAN))
        change = {"current_password": CLEAN, "new_password": BREACHED}
        response = await http.put("/users/me/password", json=change, headers=headers)
        body = _problem(response, 422, "breached-password")
        assert body["errors"][0]["loc"] == ["body", "new_password"]
        await login(http, payload["username"], CLEAN)  # the old password still works


async def test_a_reset_to_a_breached_password_is_refused_and_keeps_the_link(
    app_with: AppFactory, hibp: str, mailbox: Mailbox
) -> None:
    async with app_with(hibp_enabled=True, hibp_base_url=hibp) as http:
        payload = user_payload(password=CLEAN)
        assert (await http.post("/users", json=payload)).status_code == 201
        await http.post("/auth/forgot-password", json={"email": payload["email"]})
        token = token_of(await mailbox.wait_for(payload["email"], "Reset your password"))
        refused = await http.post(
            "/auth/reset-password", json={"token": token, "new_password": BREACHED}
        )
        _problem(refused, 422, "breached-password")
        done = await http.post(
            "/auth/reset-password", json={"token": token, "new_password": DEFAULT_PASSWORD}
        )
        assert done.status_code == 204, done.text
        await login(http, payload["username"], DEFAULT_PASSWORD)


async def test_the_check_tells_nothing_about_accounts(
    app_with: AppFactory, hibp: str, corpus: RangeCorpus
) -> None:
    async with app_with(hibp_enabled=True, hibp_base_url=hibp) as http:
        taken = user_payload(password=CLEAN)
        assert (await http.post("/users", json=taken)).status_code == 201
        asked = len(corpus.requests)
        # A taken name answers 409 as always, before any password check.
        again = await http.post("/users", json={**taken, "password": BREACHED})
        _problem(again, 409, "username-taken")
        # A reset link that redeems nothing is refused as such; the password is not checked.
        bogus = {"token": "x" * 43, "new_password": BREACHED}
        _problem(await http.post("/auth/reset-password", json=bogus), 400, "invalid-token")
        assert len(corpus.requests) == asked
