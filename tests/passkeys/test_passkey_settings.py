"""The relying-party settings: defaults that follow the service's origin, and a start-up
that refuses a pair the browser would refuse."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.core.config import Settings
from service.core.setting_types import Environment
from tests.conftest import TEST_SECOND_FACTOR_KEY

PRODUCTION = {
    "environment": Environment.PRODUCTION,
    "jwt_secret": "p" * 40,
    "smtp_host": "smtp.example",
    "second_factor_key": TEST_SECOND_FACTOR_KEY,
}


def test_defaults_follow_the_public_base_url_else_localhost() -> None:
    development = Settings(_env_file=None)  # type: ignore[call-arg]
    assert development.passkey_rp_id == "localhost"
    assert development.passkey_origins == ["http://localhost:8000"]
    public = Settings(_env_file=None, public_base_url="https://api.example.com")  # type: ignore[call-arg]
    assert public.passkey_rp_id == "api.example.com"
    assert public.passkey_origins == ["https://api.example.com"]


def test_one_rp_id_for_several_subdomains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBAUTHN_RP_ID", "Example.COM")
    monkeypatch.setenv("WEBAUTHN_ORIGINS", "https://example.com, https://app.example.com/")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.passkey_rp_id == "example.com"
    assert settings.passkey_origins == ["https://example.com", "https://app.example.com"]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"webauthn_rp_id": "example.org", "public_base_url": "https://api.example.com"}, "not on"),
        (
            {"webauthn_rp_id": "evil-example.com", "webauthn_origins": "https://example.com"},
            "not on",
        ),
        ({"webauthn_rp_id": "127.0.0.1"}, "WEBAUTHN_RP_ID"),
        ({"webauthn_rp_id": "https://example.com"}, "WEBAUTHN_RP_ID"),
        ({"webauthn_origins": "example.com"}, "WEBAUTHN_ORIGINS"),
        ({"webauthn_origins": "https://example.com/login"}, "WEBAUTHN_ORIGINS"),
    ],
)
def test_an_inconsistent_relying_party_fails_fast(changes: dict[str, str], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        Settings(_env_file=None, **changes)  # type: ignore[call-arg, arg-type]


def test_production_needs_an_https_origin() -> None:
    with pytest.raises(ValidationError, match="WEBAUTHN_ORIGINS"):
        Settings(_env_file=None, allowed_hosts=["a.example"], **PRODUCTION)  # type: ignore[call-arg, arg-type]
    with pytest.raises(ValidationError, match="https"):
        Settings(_env_file=None, public_base_url="http://api.example.com", **PRODUCTION)  # type: ignore[call-arg, arg-type]
    ok = Settings(_env_file=None, public_base_url="https://api.example.com", **PRODUCTION)  # type: ignore[call-arg, arg-type]
    assert ok.passkey_origins == ["https://api.example.com"]
