"""Cursor encoding round-trips and refuses anything it did not make."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bson import ObjectId

from service.core.errors import InvalidParameter
from service.users.cursor import Cursor, SortOrder, after_cursor_filter, decode_cursor


def test_round_trip_keeps_types_and_sort() -> None:
    sort = SortOrder.parse("-created_at")
    when = datetime(2026, 5, 1, 12, 30, 1, 123000, tzinfo=UTC)
    oid = ObjectId()
    decoded = decode_cursor(Cursor(sort.token, when, oid).encode(), sort)
    assert (decoded.value, decoded.last_id) == (when, oid)
    assert after_cursor_filter(decoded, sort) == {
        "$or": [{"created_at": {"$lt": when}}, {"created_at": when, "_id": {"$lt": oid}}]
    }


def test_username_cursor_ascending_uses_gt() -> None:
    sort = SortOrder.parse("username")
    oid = ObjectId()
    decoded = decode_cursor(Cursor("username", "bob", oid).encode(), sort)
    assert after_cursor_filter(decoded, sort)["$or"][0] == {"username": {"$gt": "bob"}}


@pytest.mark.parametrize(
    "token",
    [
        Cursor("-created_at", "not-a-date", ObjectId()).encode(),
        Cursor("-created_at", "2026-01-01T00:00:00", ObjectId()).encode(),  # naive time
        "e30",  # {}
        "WzEsMl0",  # [1, 2]
    ],
    # Fixed ids: every xdist worker must collect the same test names.
    ids=["not-a-date", "naive-time", "empty-object", "array"],
)
def test_malformed_cursors_are_rejected(token: str) -> None:
    with pytest.raises(InvalidParameter):
        decode_cursor(token, SortOrder.parse("-created_at"))
