"""Field types shared by more than one domain."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Annotated, Protocol

from pydantic import Field

Password = Annotated[
    str,
    Field(
        min_length=8,
        max_length=128,
        description="8-128 characters; write-only.",
        json_schema_extra={"format": "password"},
    ),
]


# A MongoDB filter or update document, as a data-access module builds and sends it.
Query = Mapping[str, object]


class PasswordHashing(Protocol):
    """Turns a password into the hash that is stored (the auth domain's hasher does it)."""

    async def hash(self, password: str) -> str:
        """The hash to store for `password`."""


# Stored instead of a hash when a user has no password yet (invited by an admin, or a
# registration between claiming its name and storing its hash). No hasher recognises the
# prefix, so no password matches it; the random rest keeps each one distinct, so a scan
# for leaked hashes never mistakes a short common string for one.
UNUSABLE_PASSWORD_PREFIX = "!"  # noqa: S105 - a marker, not a password


def unusable_password_hash() -> str:
    """A `password_hash` no password matches: the account cannot log in by password."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(16)


def is_usable_password_hash(password_hash: str) -> bool:
    """Whether some password can match `password_hash`."""
    return not password_hash.startswith(UNUSABLE_PASSWORD_PREFIX)
