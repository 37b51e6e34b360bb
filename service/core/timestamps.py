"""Client-supplied timestamps and flags, read exactly as the OpenAPI document states them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

# RFC 3339 `date-time` (what the document's `format: date-time` means): an offset is
# required; pydantic alone would also take a bare date, a Unix time or a naive time.
_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def _rfc3339(value: Any) -> Any:
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        raise ValueError("must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T12:00:00Z")
    return value


def to_utc(value: datetime) -> datetime:
    """The same instant in UTC; a time without an offset is read as UTC.

    Raises `ValueError` (a 422 in a request) for an instant outside what a `datetime` holds
    once in UTC, such as `0001-01-01T00:00:00+01:00`: BSON encoding it would fail later.
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(
            "is outside the supported range of dates (years 1 to 9999 in UTC)"
        ) from None


def _boolean_word(value: Any) -> Any:
    if isinstance(value, str) and value not in ("true", "false"):
        raise ValueError("must be true or false")
    return value


UtcDateTime = Annotated[datetime, BeforeValidator(_rfc3339), AfterValidator(to_utc)]
# A boolean query parameter: `true` or `false`, not pydantic's lax 1/0/yes/no/on/off.
QueryBool = Annotated[bool, BeforeValidator(_boolean_word)]
