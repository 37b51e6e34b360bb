"""Origins as settings write them (`https://api.example.com`), checked once at start-up."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_origin(value: str) -> str:
    """Check that `value` is an origin (`scheme://host[:port]`); return it without a slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"{value!r} is not an http(s) origin such as https://api.example.com")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"{value!r}: give only scheme, host and port (no path, query or user)")
    _ = parts.port  # ValueError for a port out of range
    return f"{parts.scheme}://{parts.netloc}"
