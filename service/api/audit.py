"""The audit trail: a user's own security events at `/users/me/events`, everyone's for
admins at `/audit-events`. Read-only: events are written by the use cases themselves."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Annotated

from beanie import PydanticObjectId
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import TypeAdapter

from service.api.declared_routes import declared
from service.api.deps import CurrentUser
from service.audit.listing import EventPage, EventQuery, list_events
from service.audit.models import AuditEventType
from service.audit.schemas import AuditEventRead
from service.core.timestamps import UtcDateTime
from service.http.problems import problem_responses
from service.http.routing import ServiceRoute
from service.users.permissions import require_admin

router = APIRouter(route_class=declared(ServiceRoute))
USERS: list[str | Enum] = ["users"]
AUDIT: list[str | Enum] = ["audit"]
_EVENTS = TypeAdapter(list[AuditEventRead])

PAGING = (
    "Newest first, at most `limit` events a page; when there are more, the `Link` header "
    'holds the next page\'s URL (`rel="next"`, with an opaque `cursor`), as on `GET /users`.'
)


async def event_query(
    type: Annotated[
        AuditEventType | None,
        Query(description="Only events of this type.", examples=["login.failed"]),
    ] = None,
    since: Annotated[
        UtcDateTime | None, Query(description="Only events at or after this RFC 3339 time.")
    ] = None,
    until: Annotated[
        UtcDateTime | None, Query(description="Only events strictly before this RFC 3339 time.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Page size.")] = 20,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="Opaque cursor from the previous page's Link header."),
    ] = None,
) -> EventQuery:
    """Collect and validate the filters both listings share."""
    return EventQuery(type=type, since=since, until=until, limit=limit, cursor=cursor)


EventFilters = Annotated[EventQuery, Depends(event_query)]


def page_response(page: EventPage, request: Request) -> Response:
    """One page of events as JSON, the next page's URL in a `Link` header unless it is
    the last."""
    headers = {}
    if page.next_cursor is not None:
        next_url = request.url.include_query_params(cursor=page.next_cursor)
        headers["Link"] = f'<{next_url}>; rel="next"'
    body = _EVENTS.dump_json([AuditEventRead.model_validate(event) for event in page.items])
    return Response(body, headers=headers, media_type="application/json")


@router.get(
    "/users/me/events",
    tags=USERS,
    response_model=list[AuditEventRead],
    summary="List the caller's security events",
    description="The caller's own audit trail: logins (and failed attempts on their "
    "account), password and email changes, role and active-flag changes with who made "
    "them, ended sessions. " + PAGING,
    responses=problem_responses(401, 422, 503),
)
async def list_my_events(user: CurrentUser, query: EventFilters, request: Request) -> Response:
    """One page of the caller's events."""
    page = await list_events(dataclasses.replace(query, user_id=user.id))
    return page_response(page, request)


@router.get(
    "/audit-events",
    tags=AUDIT,
    response_model=list[AuditEventRead],
    summary="List security events (admins)",
    description="Every user's security events, and the service's own (key rotation); "
    "filter by `user_id`, `type` and time. Admins only (403 otherwise). " + PAGING,
    responses=problem_responses(401, 403, 422, 503),
)
async def list_audit_events(
    caller: CurrentUser,
    query: EventFilters,
    request: Request,
    user_id: Annotated[
        PydanticObjectId | None,
        Query(description="Only events concerning this user (24 hexadecimal characters)."),
    ] = None,
) -> Response:
    """One page of everyone's events."""
    require_admin(caller, "Only an admin may read the audit trail.")
    page = await list_events(dataclasses.replace(query, user_id=user_id))
    return page_response(page, request)
