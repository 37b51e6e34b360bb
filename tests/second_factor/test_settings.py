"""Second-factor settings fail fast, and the new routes count in the right rate-limit group."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.core.config import Settings
from service.core.setting_types import Environment
from service.http.paths import RouteGroup, route_group
from tests.conftest import TEST_SECOND_FACTOR_KEY, AppFactory

PRODUCTION = {
    "environment": Environment.PRODUCTION,
    "jwt_secret": "p" * 40,
    "public_base_url": "https://api.example.com",
    "smtp_host": "smtp.example.com",
}


def test_production_refuses_to_start_without_a_sealing_key() -> None:
    with pytest.raises(ValidationError, match="SECOND_FACTOR_KEY must be set in production"):
        Settings(**PRODUCTION)  # type: ignore[arg-type]
    ready = Settings(**PRODUCTION, second_factor_key=TEST_SECOND_FACTOR_KEY)  # type: ignore[arg-type]
    assert len(ready.second_factor_keys()[0]) == 32


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("second_factor_key", "not base64!", "SECOND_FACTOR_KEY must be base64"),
        ("second_factor_key", "c2hvcnQ=", "SECOND_FACTOR_KEY must decode to 32 bytes"),
        ("second_factor_old_keys", "c2hvcnQ=", "SECOND_FACTOR_OLD_KEYS"),
    ],
)
def test_a_bad_key_is_refused_by_name(name: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**{name: value})  # type: ignore[arg-type]


def test_second_factor_writes_count_with_the_logins() -> None:
    for path in (
        "/users/me/second-factor/totp",
        "/users/me/second-factor/totp/confirm",
        "/users/me/second-factor/disable",
        "/users/me/second-factor/recovery-codes",
        "/auth/token/second-factor",
    ):
        assert route_group("POST", path) is RouteGroup.AUTH, path
    assert route_group("GET", "/users/me/second-factor") is RouteGroup.READ
    assert route_group("DELETE", "/users/abc/second-factor") is RouteGroup.WRITE


async def test_outcome_counters_exist_before_any_event(app_with: AppFactory) -> None:
    async with app_with() as client:  # a fresh app: nothing has happened yet
        text = (await client.get("/metrics")).text
    for outcome in ("login_totp", "login_recovery_code", "wrong_code", "invalid_challenge"):
        assert f'second_factor_outcomes_total{{outcome="{outcome}"}} 0.0' in text, outcome
