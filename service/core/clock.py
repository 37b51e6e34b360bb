"""The service's clock: timestamps as BSON stores them."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Current UTC time truncated to milliseconds, the precision BSON dates keep.

    Truncating up front means the timestamp a client sees is exactly the stored one, so
    cursors and `created_after` filters built from it round-trip without drift.
    """
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
