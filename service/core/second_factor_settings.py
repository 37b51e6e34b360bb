"""The second-factor settings: the key that seals TOTP secrets, the issuer shown in
authenticator apps, and the limits of enrolment and code guessing (docs/second-factor.md)."""

from __future__ import annotations

import base64
import binascii

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings

from service.core.setting_types import Environment

SECOND_FACTOR_KEY_BYTES = 32
# Only for development and tests: anyone reading this file can open secrets sealed with it.
DEVELOPMENT_SECOND_FACTOR_KEY = base64.b64encode(b"development-only-2fa-key-32bytes").decode()


def decode_key(value: str) -> bytes:
    """The raw bytes of a base64 key; ValueError unless it is exactly 32 bytes."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("SECOND_FACTOR_KEY must be base64") from None
    if len(raw) != SECOND_FACTOR_KEY_BYTES:
        raise ValueError(f"SECOND_FACTOR_KEY must decode to {SECOND_FACTOR_KEY_BYTES} bytes")
    return raw


class SecondFactorSettings(BaseSettings):
    """How TOTP secrets are sealed and how much guessing a second factor tolerates."""

    environment: Environment = Environment.DEVELOPMENT
    # AES-256-GCM key (base64 of 32 bytes) sealing TOTP secrets at rest; also keys the
    # HMAC of recovery codes. Required in production; elsewhere a development key stands in.
    second_factor_key: SecretStr | None = None
    # Keys sealed with earlier (comma-separated base64); read, never written: key rotation.
    second_factor_old_keys: SecretStr | None = None
    # The name authenticator apps show next to the account.
    second_factor_issuer: str = Field(default="users-service", min_length=1, max_length=64)
    # How long an enrolment waits for its first code before it must start over.
    second_factor_enrolment_ttl_s: int = Field(default=900, ge=60, le=86_400)
    # Wrong codes per account across every client address within LOGIN_WINDOW_S (the
    # per-address login throttle counts them too); only someone holding the password
    # reaches the code step, so this cannot be used by a stranger to lock an account.
    second_factor_max_failures: int = Field(default=10, ge=1, le=1000)

    @field_validator("second_factor_key", "second_factor_old_keys", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `.env.example` lists every variable; an empty one means "not set".
        return None if value == "" else value

    @field_validator("second_factor_key")
    @classmethod
    def _valid_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            decode_key(value.get_secret_value())
        return value

    @field_validator("second_factor_old_keys")
    @classmethod
    def _valid_old_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            for key in value.get_secret_value().split(","):
                try:
                    decode_key(key.strip())
                except ValueError:
                    raise ValueError(
                        "SECOND_FACTOR_OLD_KEYS must be base64 keys of 32 bytes, comma-separated"
                    ) from None
        return value

    @model_validator(mode="after")
    def _production_needs_a_key(self) -> SecondFactorSettings:
        if self.environment is Environment.PRODUCTION and self.second_factor_key is None:
            raise ValueError("SECOND_FACTOR_KEY must be set in production")
        return self

    def second_factor_keys(self) -> tuple[bytes, tuple[bytes, ...]]:
        """The sealing key and the keys only read (older ones), as raw bytes."""
        active = self.second_factor_key
        current = decode_key(
            active.get_secret_value() if active is not None else DEVELOPMENT_SECOND_FACTOR_KEY
        )
        old = self.second_factor_old_keys
        older = tuple(
            decode_key(key.strip()) for key in (old.get_secret_value().split(",") if old else ())
        )
        return current, older
