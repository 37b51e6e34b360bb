"""The access-token settings: signing keys, claims and lifetimes (docs/tokens.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings


class TokenSettings(BaseSettings):
    """Where the signing keys come from, what tokens claim and how long they live."""

    # Asymmetric keys from a directory or from variables; the key's type fixes the algorithm.
    jwt_algorithm: Literal["ES256", "EdDSA"] = "ES256"
    jwt_keys_dir: str = Field(default=".local/jwt-keys", min_length=1)
    jwt_signing_key: SecretStr | None = None
    jwt_verify_keys: SecretStr | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwks_max_age_s: int = Field(default=300, ge=0, le=86_400)
    access_token_ttl_s: int = Field(default=900, ge=30, le=86_400)
    refresh_token_ttl_s: int = Field(default=14 * 86_400, ge=300, le=365 * 86_400)
    # Read by the token defaults below; declared (and validated) by the full settings.
    public_base_url: str | None = None

    @field_validator(
        "jwt_signing_key", "jwt_verify_keys", "jwt_issuer", "jwt_audience", mode="before"
    )
    @classmethod
    def _empty_key_setting_is_unset(cls, value: object) -> object:
        # `.env.example` lists every variable; an empty one means "not set".
        return None if value == "" else value

    @model_validator(mode="after")
    def _verify_keys_need_a_signer(self) -> TokenSettings:
        if self.jwt_verify_keys and not self.jwt_signing_key:
            raise ValueError("JWT_VERIFY_KEYS needs JWT_SIGNING_KEY")
        return self

    @property
    def token_issuer(self) -> str:
        """The `iss` of access tokens: JWT_ISSUER, else PUBLIC_BASE_URL, else `users-service`."""
        return self.jwt_issuer or self.public_base_url or "users-service"

    @property
    def token_audience(self) -> str:
        """The `aud` of access tokens: JWT_AUDIENCE, else as the issuer defaults."""
        return self.jwt_audience or self.public_base_url or "users-service"
