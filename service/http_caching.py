"""Entity tags and the `If-Match` / `If-None-Match` comparisons of RFC 9110.

An entity tag is a keyed hash of what identifies one version of a representation (for a
user, its id and write counter): equal versions get equal tags, but a reader learns
nothing from a tag, not even how often the user was written. The key derives from
`JWT_SECRET`, which every worker and replica shares, so a tag one of them issued
matches on all; rotating that secret changes every tag (clients read again).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_PURPOSE = b"users-service entity tags"


class _EtagKey:
    """The process's tag key. Process-wide, as the one secret it derives from is; until
    the app sets it, a random key keeps tags consistent within this process only."""

    value = secrets.token_bytes(32)


def use_etag_secret(secret: str) -> None:
    """Derive the entity-tag key from the deployment's shared secret."""
    _EtagKey.value = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def strong_etag(validator: str) -> str:
    """The strong entity tag of `validator` (what identifies one version), as an opaque
    quoted keyed hash."""
    digest = hmac.new(_EtagKey.value, validator.encode(), hashlib.sha256).digest()[:18]
    return f'"{base64.urlsafe_b64encode(digest).decode()}"'


def none_match(header: str | None, etag: str) -> bool:
    """True when `If-None-Match` names `etag` (weak comparison) or is `*`."""
    if header is None:
        return False
    return any(tag == "*" or tag.removeprefix("W/") == etag for tag in _tags(header))


def match_fails(header: str | None, etag: str) -> bool:
    """True when an `If-Match` header is present and does not name `etag` (strong comparison)."""
    if header is None:
        return False
    tags = _tags(header)
    return not any(tag == "*" or tag == etag for tag in tags)
