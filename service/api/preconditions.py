"""A user's entity tag, and the version a conditional write (`If-Match`) expects."""

from __future__ import annotations

from service.http.caching import match_fails, strong_etag
from service.users.errors import StaleVersion
from service.users.models import User


def etag_of(user: User) -> str:
    """The entity tag of a user's current version."""
    return strong_etag(f"{user.id}.{user.version}")


def expected_version(user: User, if_match: str | None) -> int | None:
    """The version a conditional write must match (None without `If-Match`), or 412."""
    if match_fails(if_match, etag_of(user)):
        raise StaleVersion
    return user.version if if_match is not None else None
