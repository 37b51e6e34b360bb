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
from contextvars import ContextVar, Token

from service.http.exchange import current_exchange

_PURPOSE = b"users-service entity tags"
# The key of the app serving this request is on the request's exchange (several apps in
# one process keep their own); `bind_etag_key` sets one outside any request. Without
# either, a random key keeps tags consistent within this process only.
_PROCESS_KEY = secrets.token_bytes(32)
_etag_key: ContextVar[bytes | None] = ContextVar("etag_key", default=None)


def etag_key(secret: str) -> bytes:
    """The entity-tag key derived from the deployment's shared secret."""
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def bind_etag_key(key: bytes) -> Token[bytes | None]:
    """Use `key` for the tags made in this context; reset with the returned token."""
    return _etag_key.set(key)


def unbind_etag_key(token: Token[bytes | None]) -> None:
    """Restore the key bound before `bind_etag_key` returned `token`."""
    _etag_key.reset(token)


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def strong_etag(validator: str) -> str:
    """The strong entity tag of `validator` (what identifies one version), as an opaque
    quoted keyed hash."""
    exchange = current_exchange.get()
    key = (exchange.etag_key if exchange is not None else None) or _etag_key.get() or _PROCESS_KEY
    digest = hmac.new(key, validator.encode(), hashlib.sha256).digest()[:18]
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
