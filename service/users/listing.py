"""Listing and searching users: one keyset-paged query over the public fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING, DESCENDING

from service.users.cursor import Cursor, SortOrder, after_cursor_filter, decode_cursor
from service.users.lookup import FINISHED
from service.users.models import User
from service.users.schemas import ListQuery, public_projection


@dataclass(frozen=True)
class Page:
    """One page of users and the cursor of the next page, if there is one."""

    items: list[dict[str, Any]]
    next_cursor: str | None


# What a list page needs of each user: everything public, nothing secret or internal.
PUBLIC_FIELDS = public_projection()


def _prefix(value: str) -> dict[str, str]:
    # Anchored and escaped, on lower-cased fields, so MongoDB can walk an index.
    return {"$regex": "^" + re.escape(value.lower())}


def build_list_filter(query: ListQuery, cursor: Cursor | None, sort: SortOrder) -> dict[str, Any]:
    """Translate list parameters into one MongoDB filter."""
    clauses: list[dict[str, Any]] = [FINISHED]
    if query.username is not None:
        clauses.append({"username": query.username.lower()})
    if query.email is not None:
        clauses.append({"email": query.email.lower()})
    if query.q:
        prefix = _prefix(query.q)
        clauses.append({"$or": [{"username": prefix}, {"email": prefix}, {"name_lower": prefix}]})
    if query.role is not None:
        clauses.append({"role": query.role.value})
    if query.is_active is not None:
        clauses.append({"is_active": query.is_active})
    if query.created_after is not None:
        clauses.append({"created_at": {"$gt": query.created_after}})
    if query.created_before is not None:
        clauses.append({"created_at": {"$lt": query.created_before}})
    if cursor is not None:
        clauses.append(after_cursor_filter(cursor, sort))
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


async def list_users(query: ListQuery) -> Page:
    """One page of users matching `query`, in keyset order on (sort key, _id)."""
    sort = SortOrder.parse(query.sort)
    cursor = decode_cursor(query.cursor, sort) if query.cursor else None
    direction = DESCENDING if sort.descending else ASCENDING
    documents = (
        User.get_pymongo_collection()
        .find(build_list_filter(query, cursor, sort), PUBLIC_FIELDS)
        .sort([(sort.field, direction), ("_id", direction)])
        .limit(query.limit + 1)
    )
    # Raw documents, validated once into the read model by the caller: building a full
    # Document per item first costs more than the query for a 50-user page.
    found = await documents.to_list()
    items = found[: query.limit]
    next_cursor = None
    if len(found) > query.limit:
        last = items[-1]
        next_cursor = Cursor(sort.token, last[sort.field], last["_id"]).encode()
    return Page(items=items, next_cursor=next_cursor)
