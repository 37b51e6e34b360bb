"""Listing and searching users: one keyset-paged query over the public fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pymongo import ASCENDING, DESCENDING

from service.core.types import Query
from service.users import repository
from service.users.cursor import Cursor, SortOrder, after_cursor_filter, decode_cursor
from service.users.repository import FINISHED, ListedUser
from service.users.schemas import ListQuery


@dataclass(frozen=True)
class Page:
    """One page of users and the cursor of the next page, if there is one."""

    items: list[ListedUser]
    next_cursor: str | None


def _prefix(value: str) -> dict[str, str]:
    # Anchored and escaped, on lower-cased fields, so MongoDB can walk an index.
    return {"$regex": "^" + re.escape(value.lower())}


def build_list_filter(query: ListQuery, cursor: Cursor | None, sort: SortOrder) -> Query:
    """Translate list parameters into one MongoDB filter."""
    clauses: list[Query] = [FINISHED]
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
    found = await repository.find_page(
        build_list_filter(query, cursor, sort),
        [(sort.field, direction), ("_id", direction)],
        query.limit + 1,
    )
    items = found[: query.limit]
    next_cursor = None
    if len(found) > query.limit:
        last = items[-1].document
        next_cursor = Cursor(sort.token, last.get(sort.field), last["_id"]).encode()
    return Page(items=items, next_cursor=next_cursor)
