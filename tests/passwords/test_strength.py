"""Strength and identity rules, on the suite's app (the breach check is off there)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from service.core.config import Settings
from service.core.setting_types import Environment
from service.passwords import breaches
from service.passwords.breaches import BreachCheckFailed, count_in_range
from service.startup.password_policy import fails_open
from tests.conftest import TEST_SECOND_FACTOR_KEY
from tests.factories import user_payload


def _refusal(response: httpx.Response, slug: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:users-service:problem:{slug}"
    return body


# A run of one letter (not `a`: the suite's secret scan would find it inside ids like "a" * 24).
@pytest.mark.parametrize("password", ["password1234", "qwertyuiop12", "kkkkkkkkkkkkkkkk"])
async def test_weak_passwords_are_refused_with_a_hint(
    client: httpx.AsyncClient, password: str
) -> None:
    response = await client.post("/users", json=user_payload(password=password))
    body = _refusal(response, "weak-password")
    assert body["title"] == "Password too weak"
    assert body["errors"][0]["loc"] == ["body", "password"]
    assert body["errors"][0]["msg"]
    assert password not in response.text


async def test_a_long_weak_password_is_scored_and_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/users", json=user_payload(password="ab" * 64))
    _refusal(response, "weak-password")


@pytest.mark.parametrize(
    ("username", "email", "password"),
    [
        ("margaret", "m.h@example.com", "Orbit-MARGARET-Lantern-9"),  # the username, any case
        ("mhamilton", "apollo.lead@example.com", "Quiet-Apollo.Lead-Anvil"),  # email local part
    ],
)
async def test_a_password_containing_the_user_names_is_refused(
    client: httpx.AsyncClient, username: str, email: str, password: str
) -> None:
    payload = user_payload(username=username, email=email, password=password)
    response = await client.post("/users", json=payload)
    body = _refusal(response, "password-contains-identity")
    assert password not in response.text
    assert body["errors"][0]["msg"]


async def test_a_short_local_part_does_not_count(client: httpx.AsyncClient) -> None:
    payload = user_payload(email="jo@example.com", password="Jo-Velvet-Anvil-Orbit-77")
    response = await client.post("/users", json=payload)
    assert response.status_code == 201, response.text


def test_range_answers_are_parsed_and_padding_never_counts() -> None:
    prefix, suffix = breaches.split_hash("Velvet-Harbor-Crimson-71")
    assert len(prefix) == 5
    assert len(suffix) == 35
    body = f"0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n{suffix.lower()}:0\r\n"
    assert count_in_range(body, suffix) == 0
    assert count_in_range(f"{suffix}:7\r\nABC:0", suffix) == 7
    with pytest.raises(BreachCheckFailed):
        count_in_range(f"{suffix}:many", suffix)


def test_settings_name_a_bad_base_url_and_fail_closed_only_in_production() -> None:
    with pytest.raises(ValidationError, match="hibp_base_url"):
        Settings(hibp_base_url="ftp://mirror.example")
    assert Settings(hibp_base_url="http://127.0.0.1:9/hibp/").hibp_base_url == (
        "http://127.0.0.1:9/hibp"
    )
    assert fails_open(Settings())
    production = {
        "environment": Environment.PRODUCTION,
        "jwt_secret": "p" * 40,
        "smtp_host": "smtp.example.com",
        "public_base_url": "https://api.example.com",
        "second_factor_key": TEST_SECOND_FACTOR_KEY,
    }
    assert not fails_open(Settings(**production))  # type: ignore[arg-type]
    assert fails_open(Settings(**production, hibp_fail_open=True))  # type: ignore[arg-type]
