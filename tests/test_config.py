"""Settings fail fast, naming the bad variable; production refuses placeholder secrets."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from pydantic import ValidationError

from service.core.config import Settings
from service.core.setting_types import Environment
from tests.conftest import TEST_SECOND_FACTOR_KEY
from tests.service_process import REPO_ROOT, SUBPROCESS_CAP_S


def test_production_requires_a_real_jwt_secret() -> None:
    for secret in ("change-me", "short-but-not-placeholder"):
        with pytest.raises(ValidationError, match="JWT_SECRET"):
            Settings(
                environment=Environment.PRODUCTION,
                jwt_secret=secret,
                public_base_url="https://a.example",
                second_factor_key=TEST_SECOND_FACTOR_KEY,
            )
    Settings(
        environment=Environment.PRODUCTION,
        jwt_secret="x" * 32,
        second_factor_key=TEST_SECOND_FACTOR_KEY,
        allowed_hosts=["a.example"],
        webauthn_origins=["https://a.example"],
        smtp_host="smtp.example",
    )


def test_production_refuses_to_start_without_smtp() -> None:
    # Without SMTP, mails (and their live tokens) would only be logged.
    production = {
        "jwt_secret": "x" * 32,
        "allowed_hosts": ["a.example"],
        "webauthn_origins": ["https://a.example"],
        "second_factor_key": TEST_SECOND_FACTOR_KEY,
    }
    with pytest.raises(ValidationError, match="SMTP_HOST"):
        Settings(environment=Environment.PRODUCTION, **production)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="SMTP_TLS"):
        Settings(smtp_tls=True, smtp_starttls=True)


def test_cors_origins_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


def test_invalid_setting_stops_start_up_naming_the_variable() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "service", "serve"],
        cwd=REPO_ROOT,
        env={**os.environ, "MONGODB_TIMEOUT_MS": "nope"},
        capture_output=True,
        text=True,
        check=False,
        timeout=SUBPROCESS_CAP_S,
    )
    assert result.returncode == 2
    assert "MONGODB_TIMEOUT_MS" in result.stderr
    assert "Traceback" not in result.stderr


def test_s3_storage_needs_a_bucket() -> None:
    with pytest.raises(ValidationError, match="AVATAR_S3_BUCKET"):
        Settings(avatar_storage="s3")
    with pytest.raises(ValidationError, match="avatar_s3_bucket"):
        Settings(avatar_storage="s3", avatar_s3_bucket="Not_A_Bucket")
    assert (
        Settings(avatar_storage="s3", avatar_s3_bucket="my-avatars").avatar_s3_prefix == "avatars/"
    )


def test_env_example_lists_valid_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper() in Settings.model_fields or name.lower() in Settings.model_fields:
            monkeypatch.delenv(name)
    settings = Settings(_env_file=REPO_ROOT / ".env.example")  # type: ignore[call-arg]
    assert settings.avatar_storage == "gridfs"
    # Every setting appears as `NAME=` (or commented out, `# NAME=`, when it must stay unset).
    documented = {
        line.removeprefix("# ").split("=", 1)[0].lower()
        for line in (REPO_ROOT / ".env.example").read_text().splitlines()
        if re.match(r"^(# )?[A-Z0-9_]+=", line)
    }
    assert set(Settings.model_fields) <= documented, set(Settings.model_fields) - documented


def test_development_defaults_leave_room_and_production_keeps_strict_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in list(os.environ):
        if name.lower() in Settings.model_fields:
            monkeypatch.delenv(name)
    development = Settings(_env_file=None)  # type: ignore[call-arg]
    assert development.rate_limit_auth == "300/minute"
    assert development.mail_budget_per_client == 300
    assert development.mail_log_file == ".local/mail.jsonl"
    production = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment=Environment.PRODUCTION,
        jwt_secret="p" * 40,
        second_factor_key=TEST_SECOND_FACTOR_KEY,
        smtp_host="smtp.example.com",
        public_base_url="https://api.example.com",
    )
    assert production.rate_limit_auth == "10/minute"
    assert production.mail_budget_per_client == 30
    assert production.mail_log_file is None
    # A value set in the environment wins over the development default.
    monkeypatch.setenv("RATE_LIMIT_AUTH", "7/minute")
    monkeypatch.setenv("MAIL_LOG_FILE", "")
    explicit = Settings(_env_file=None)  # type: ignore[call-arg]
    assert explicit.rate_limit_auth == "7/minute"
    assert explicit.mail_log_file is None
