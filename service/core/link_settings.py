"""Mailed account links: where they point (the service's own pages or an external front
end) and how long an invitation link lives."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings


def parse_link_base(value: str) -> str:
    """Check that `value` is an absolute http(s) URL that links can extend with a path:
    no query, fragment or credentials. Returned without a trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL such as https://app.example.com")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{value!r}: give scheme, host, port and path only (no query or user)")
    _ = parts.port  # ValueError for a port out of range
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


class AccountLinkSettings(BaseSettings):
    """The base of the verification and password links mailed to users (docs/security.md).

    Unset, links open the service's own pages (`PUBLIC_BASE_URL`, else the checked
    request host). Set, they open `<ACCOUNT_LINKS_BASE_URL>/account/verify-email?token=…`
    and `…/account/reset-password?token=…` on a front end that calls the API itself.
    """

    account_links_base_url: str | None = None
    # Longer than a reset link's: the invitee did not ask for the mail and may open it days
    # later. Redeeming it is a password reset (single use, ends with a verified address).
    invitation_token_ttl_s: int = Field(default=7 * 86_400, ge=3600, le=30 * 86_400)

    @field_validator("account_links_base_url", mode="before")
    @classmethod
    def _valid_link_base(cls, value: object) -> object:
        # `.env.example` lists every variable; an empty one means "not set".
        if value is None or value == "":
            return None
        return parse_link_base(value) if isinstance(value, str) else value
