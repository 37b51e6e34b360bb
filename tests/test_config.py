"""Settings fail fast, naming the bad variable; production refuses placeholder secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from service.config import Environment, Settings
from tests.service_process import REPO_ROOT


def test_production_requires_a_real_jwt_secret() -> None:
    for secret in ("change-me", "short-but-not-placeholder"):
        with pytest.raises(ValidationError, match="JWT_SECRET"):
            Settings(environment=Environment.PRODUCTION, jwt_secret=secret)
    Settings(environment=Environment.PRODUCTION, jwt_secret="x" * 32)


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
        timeout=60,
    )
    assert result.returncode == 2
    assert "MONGODB_TIMEOUT_MS" in result.stderr
    assert "Traceback" not in result.stderr
