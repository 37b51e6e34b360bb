"""Rate-limit strings as settings write them (`10/minute`), parsed once for every reader."""

from __future__ import annotations

from limits import RateLimitItem, parse_many


def parse_limit(text: str) -> RateLimitItem:
    """Parse one `<count>/<period>` limit (e.g. `10/minute`, `100 per 5 minutes`)."""
    try:
        items = parse_many(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a rate limit such as '10/minute'") from None
    if len(items) != 1:
        raise ValueError(f"{text!r}: give exactly one limit per route group")
    if items[0].amount < 1:
        raise ValueError(f"{text!r}: a limit must allow at least one request")
    return items[0]
