"""The passkey (WebAuthn) settings: the relying party and the origins its pages run on.

A passkey is bound to its relying party id (a domain); the browser signs the page's
origin into every ceremony. A wrong pair locks every user out of their passkeys, or
accepts ceremonies from a page that is not ours, so the pair is checked at start-up.
See docs/passkeys.md.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode

from service.core.origins import parse_origin
from service.core.setting_types import Environment

# Where `make run` serves; WebAuthn refuses IP addresses as RP ids, hence `localhost`.
DEVELOPMENT_ORIGIN = "http://localhost:8000"
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9-]{1,63})*$")


def _host(origin: str) -> str:
    return (urlsplit(origin).hostname or "").lower()


class WebAuthnSettings(BaseSettings):
    """The relying party passkeys are bound to, and the ceremonies' bounds."""

    webauthn_rp_id: str | None = None
    webauthn_rp_name: str = Field(default="users-service", min_length=1, max_length=64)
    webauthn_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # How long a ceremony's challenge may be redeemed (once) after the options were sent.
    webauthn_challenge_ttl_s: int = Field(default=300, ge=30, le=900)
    webauthn_max_passkeys: int = Field(default=10, ge=1, le=100)
    # Read by the defaults below; declared (and validated) by the full settings.
    environment: Environment = Environment.DEVELOPMENT
    public_base_url: str | None = None

    @field_validator("webauthn_rp_id", mode="before")
    @classmethod
    def _rp_id_is_a_hostname(cls, value: object) -> object:
        if value is None or value == "":  # `.env.example` lists it empty: not set
            return None
        name = str(value).strip().lower()
        if not _HOSTNAME.match(name) or name.replace(".", "").isdigit():
            raise ValueError(f"WEBAUTHN_RP_ID {value!r} must be a domain name such as example.com")
        return name

    @field_validator("webauthn_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("webauthn_origins")
    @classmethod
    def _origins_only(cls, value: list[str]) -> list[str]:
        try:
            return [parse_origin(origin) for origin in value]
        except ValueError as exc:
            raise ValueError(f"WEBAUTHN_ORIGINS: {exc}") from None

    @property
    def passkey_rp_id(self) -> str:
        """WEBAUTHN_RP_ID, else the host of the first origin (WEBAUTHN_ORIGINS, then
        PUBLIC_BASE_URL), else `localhost`."""
        if self.webauthn_rp_id:
            return self.webauthn_rp_id
        return _host(self.passkey_origins[0])

    @property
    def passkey_origins(self) -> list[str]:
        """WEBAUTHN_ORIGINS, else PUBLIC_BASE_URL, else http://localhost:8000."""
        if self.webauthn_origins:
            return list(self.webauthn_origins)
        if self.public_base_url:
            return [self.public_base_url.rstrip("/")]
        return [DEVELOPMENT_ORIGIN]

    @model_validator(mode="after")
    def _relying_party_is_consistent(self) -> WebAuthnSettings:
        production = self.environment is Environment.PRODUCTION
        if production and not (self.webauthn_origins or self.public_base_url):
            raise ValueError("set WEBAUTHN_ORIGINS (or PUBLIC_BASE_URL) in production")
        rp_id = self.passkey_rp_id
        for origin in self.passkey_origins:
            host = _host(origin)
            # The browser accepts an RP id only when it is the page's host or a suffix of it.
            if host != rp_id and not host.endswith(f".{rp_id}"):
                raise ValueError(
                    f"WEBAUTHN_ORIGINS: {origin} is not on WEBAUTHN_RP_ID {rp_id!r} "
                    "(the host must be the RP id or a subdomain of it)"
                )
            # Outside localhost a browser offers WebAuthn only in a secure context.
            if production and not origin.startswith("https://") and host != "localhost":
                raise ValueError(f"WEBAUTHN_ORIGINS: {origin} must use https in production")
        return self
