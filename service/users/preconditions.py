"""Preconditions of writes to a user: ETags, `If-Match`, and who may set which fields."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

from service.http.caching import match_fails, strong_etag
from service.kernel.identity import Caller, require_admin
from service.users.errors import StaleVersion
from service.users.models import User

IfMatch = Annotated[
    str | None,
    Header(description="ETag from a previous read; the write fails with 412 if it is stale."),
]
IfNoneMatch = Annotated[
    str | None, Header(description="ETag the client holds; 304 when it is still current.")
]


def etag_of(user: User) -> str:
    """The entity tag of a user's current version."""
    return strong_etag(f"{user.id}.{user.version}")


def expected_version(user: User, if_match: str | None) -> int | None:
    """The version a conditional write must match (None without `If-Match`), or 412."""
    if match_fails(if_match, etag_of(user)):
        raise StaleVersion
    return user.version if if_match is not None else None


def check_admin_fields(caller: Caller | None, sent: set[str]) -> None:
    """Refuse admin-only fields from anyone but an admin."""
    if sent:
        require_admin(caller, f"Only an admin may set {', '.join(sorted(sent))}.")
