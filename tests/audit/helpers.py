"""Reading the audit trail through the API, page by page, as a client does."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from bson import ObjectId

from service.audit.listing import encode_cursor

# The audit listings: newest first, one sort, opaque cursors.
AUDIT_LISTS = ("/users/me/events", "/audit-events")
NEXT = re.compile(r'<([^>]+)>; rel="next"')


async def all_pages(
    client: httpx.AsyncClient, url: str, headers: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Every event behind `url`, following the `Link` header; and how many pages it took."""
    events: list[dict[str, Any]] = []
    pages = 0
    next_url: str | None = url
    while next_url is not None:
        response = await client.get(next_url, headers=headers)
        assert response.status_code == 200, response.text
        events.extend(response.json())
        pages += 1
        found = NEXT.search(response.headers.get("link", ""))
        next_url = found.group(1) if found else None
    return events, pages


def types(events: list[dict[str, Any]]) -> list[str]:
    """The event types, in the order listed."""
    return [event["type"] for event in events]


def valid_audit_cursor(seed: str) -> str:
    """A cursor the audit listings could have issued, derived from `seed` (for fuzzing)."""
    digest = hashlib.sha256(seed.encode("utf-8", "replace")).digest()
    when = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=digest[12] * 86_400)
    return encode_cursor(when, ObjectId(digest[:12]))
