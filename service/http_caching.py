"""Entity tags and the `If-Match` / `If-None-Match` comparisons of RFC 9110."""

from __future__ import annotations


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def strong_etag(opaque: str) -> str:
    """Quote an opaque validator as a strong entity tag."""
    return f'"{opaque}"'


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
