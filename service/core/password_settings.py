"""Password-quality settings: the strength floor and the breach check (docs/security.md)."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings

DEFAULT_HIBP = "https://api.pwnedpasswords.com"


class PasswordSettings(BaseSettings):
    """How strong a new password must be and how the breach corpus is asked about it."""

    # zxcvbn's score (0-4) a new password must reach; 3 is "safely unguessable" online.
    password_min_score: int = Field(default=3, ge=0, le=4)
    # The Have I Been Pwned range API (k-anonymity: only 5 hex digits of SHA-1 leave).
    hibp_enabled: bool = True
    hibp_base_url: str = DEFAULT_HIBP
    hibp_timeout_s: float = Field(default=2.0, gt=0, le=30)
    # Refuse a password seen in at least this many breaches.
    hibp_min_count: int = Field(default=1, ge=1, le=1_000_000)
    # When the API fails or is slow: accept (open) or answer 503 (closed). Unset: open
    # outside production, closed in production.
    hibp_fail_open: bool | None = None
    # Requests to the API at once per worker; more wait (within the timeout) for a slot.
    hibp_max_connections: int = Field(default=10, ge=1, le=1000)

    @field_validator("hibp_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
            raise ValueError(f"{value!r} is not an http(s) base URL such as {DEFAULT_HIBP}")
        return value.strip().rstrip("/")

    @field_validator("hibp_fail_open", mode="before")
    @classmethod
    def _empty_fail_open_is_unset(cls, value: object) -> object:
        # `.env.example` lists every variable; an empty one means "not set".
        return None if value == "" else value
