"""Opaque keyset cursors for `GET /users`: the last item's (sort key, _id), base64url-encoded."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from bson import ObjectId
from bson.errors import InvalidId

from service.core.errors import InvalidParameter
from service.core.timestamps import to_utc
from service.core.types import Query


@dataclass(frozen=True)
class SortOrder:
    """A sort such as `-created_at`: the field and whether it descends."""

    field: str
    descending: bool

    @classmethod
    def parse(cls, raw: str) -> SortOrder:
        """Parse `field` or `-field`; the caller has already checked the allowed values."""
        return cls(field=raw.lstrip("-"), descending=raw.startswith("-"))

    @property
    def token(self) -> str:
        """The sort as written in a query string."""
        return f"-{self.field}" if self.descending else self.field


@dataclass(frozen=True)
class Cursor:
    """Position after the last item of a page, bound to the sort it was made for."""

    sort: str
    value: Any
    last_id: ObjectId

    def encode(self) -> str:
        """Serialise to the opaque string clients send back."""
        value = self.value.isoformat() if isinstance(self.value, datetime) else self.value
        raw = orjson.dumps({"s": self.sort, "v": value, "i": str(self.last_id)})
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _invalid(msg: str) -> InvalidParameter:
    return InvalidParameter(["query", "cursor"], msg, "cursor_invalid")


def decode_cursor(token: str, sort: SortOrder) -> Cursor:
    """Parse a client's cursor; anything tampered, truncated or for another sort is a 422."""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        sort_token, raw_value, raw_id = data["s"], data["v"], data["i"]
        last_id = ObjectId(raw_id)
    except (ValueError, TypeError, KeyError, binascii.Error, InvalidId, UnicodeEncodeError):
        raise _invalid("The cursor is not one this service issued.") from None
    if sort_token != sort.token:
        raise _invalid("The cursor belongs to a different sort order; restart without it.")
    if not isinstance(raw_value, str):
        raise _invalid("The cursor is not one this service issued.")
    value: Any = raw_value
    if sort.field == "created_at":
        try:
            value = datetime.fromisoformat(raw_value)
        except ValueError:
            raise _invalid("The cursor is not one this service issued.") from None
        if value.tzinfo is None:
            raise _invalid("The cursor is not one this service issued.")
        try:  # a forged offset can push the instant out of range once in UTC
            value = to_utc(value)
        except ValueError:
            raise _invalid("The cursor is not one this service issued.") from None
    return Cursor(sort=sort_token, value=value, last_id=last_id)


def after_cursor_filter(cursor: Cursor, sort: SortOrder) -> Query:
    """The range that starts just past the cursor on (sort key, _id), in the sort's direction."""
    op = "$lt" if sort.descending else "$gt"
    return {
        "$or": [
            {sort.field: {op: cursor.value}},
            {sort.field: cursor.value, "_id": {op: cursor.last_id}},
        ]
    }
