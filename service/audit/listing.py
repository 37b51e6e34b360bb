"""Reading the trail: one keyset-paged query, newest first, with opaque cursors shaped like
those of `GET /users` (base64url of the last item's sort key and id)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from beanie import PydanticObjectId, SortDirection
from bson import ObjectId
from bson.errors import InvalidId

from service.audit.models import AuditEvent, AuditEventType
from service.core.errors import InvalidParameter
from service.core.timestamps import to_utc

# The one order of the trail: newest first, ties broken by id (also descending).
SORT = "-at"


@dataclass(frozen=True)
class EventQuery:
    """Which events to list: filters, page size and the cursor of the previous page."""

    user_id: PydanticObjectId | None = None
    type: AuditEventType | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 20
    cursor: str | None = None


@dataclass(frozen=True)
class EventPage:
    """One page of events and the cursor of the next page, if there is one."""

    items: list[AuditEvent]
    next_cursor: str | None


def encode_cursor(at: datetime, last_id: ObjectId) -> str:
    """The opaque position after an event: its time and id."""
    raw = orjson.dumps({"s": SORT, "v": at.isoformat(), "i": str(last_id)})
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(token: str) -> tuple[datetime, ObjectId]:
    """Parse a client's cursor; anything tampered, truncated or foreign is a 422."""
    invalid = InvalidParameter(
        ["query", "cursor"], "The cursor is not one this service issued.", "cursor_invalid"
    )
    try:
        data = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        sort, value, last_id = data["s"], datetime.fromisoformat(data["v"]), ObjectId(data["i"])
        at = to_utc(value)  # a forged offset can push the instant out of range
    except (ValueError, TypeError, KeyError, binascii.Error, InvalidId, UnicodeEncodeError):
        raise invalid from None
    if sort != SORT or value.tzinfo is None:
        raise invalid
    return at, last_id


def build_filter(query: EventQuery) -> dict[str, Any]:
    """Translate the query into one MongoDB filter (served by the `user_at`, `type_at` or
    `at` index)."""
    clauses: list[dict[str, Any]] = []
    if query.user_id is not None:
        clauses.append({"user_id": query.user_id})
    if query.type is not None:
        clauses.append({"type": query.type.value})
    if query.since is not None:
        clauses.append({"at": {"$gte": query.since}})
    if query.until is not None:
        clauses.append({"at": {"$lt": query.until}})
    if query.cursor is not None:
        at, last_id = decode_cursor(query.cursor)
        clauses.append({"$or": [{"at": {"$lt": at}}, {"at": at, "_id": {"$lt": last_id}}]})
    if not clauses:
        return {}
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


async def list_events(query: EventQuery) -> EventPage:
    """One page of events matching `query`, newest first."""
    found = (
        await AuditEvent.find(build_filter(query))
        .sort([("at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)])
        .limit(query.limit + 1)
        .to_list()
    )
    items = found[: query.limit]
    next_cursor = None
    if len(found) > query.limit:
        last = items[-1]
        assert last.id is not None  # noqa: S101 - stored events always have an id
        next_cursor = encode_cursor(last.at, last.id)
    return EventPage(items=items, next_cursor=next_cursor)
