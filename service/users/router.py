"""HTTP routes of the users resource; `/users/me` routes are the same handlers, aliased."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from service.http.caching import none_match
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute
from service.kernel.identity import CurrentCaller
from service.observability.metrics import Metrics
from service.users import listing
from service.users.dependencies import (
    OwnedUser,
    UserById,
    UserListQuery,
    Users,
    add_caller_route,
)
from service.users.models import User
from service.users.preconditions import (
    IfMatch,
    IfNoneMatch,
    check_admin_fields,
    etag_of,
    expected_version,
)
from service.users.read import document_to_read, json_response, to_read
from service.users.schemas import (
    REPLACE_EXAMPLE,
    UPDATE_EXAMPLE,
    UserRead,
    UserReplace,
    UserUpdate,
)

router = APIRouter(prefix="/users", tags=["users"], route_class=ServiceRoute)

# Media-type examples are what Swagger's "Try it out" sends: only harmless fields.
_UPDATE_BODY = {"schema": {"$ref": "#/components/schemas/UserUpdate"}, "example": UPDATE_EXAMPLE}
_MERGE_PATCH_BODY = {
    "requestBody": {
        "content": {"application/json": _UPDATE_BODY, "application/merge-patch+json": _UPDATE_BODY}
    }
}
_REPLACE_BODY = {"requestBody": {"content": {"application/json": {"example": REPLACE_EXAMPLE}}}}


def user_link(method: str, description: str, user_id: str) -> dict[str, object]:
    return {
        "operationRef": f"#/paths/~1users~1{{user_id}}/{method}",
        "parameters": {"user_id": user_id},
        "description": description,
    }


# OpenAPI links: how a client (and schemathesis's stateful tests) goes from a created user
# to reading, changing and deleting it.
_READ_LINKS = {
    "UpdateUser": user_link("patch", "Change some fields of it.", "$request.path.user_id"),
    "DeleteUser": user_link("delete", "Delete it.", "$request.path.user_id"),
}
_UPDATED_LINKS = {
    "GetUser": user_link("get", "Read it again.", "$request.path.user_id"),
    "DeleteUser": user_link("delete", "Delete it.", "$request.path.user_id"),
}
_READ_ERRORS = problem_responses(401, 404, 422, 503)
_WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409, 412, 415, 422, 503)


@router.get(
    "",
    response_model=list[UserRead],
    summary="List and search users",
    description="Needs a token. Filters combine with AND. Results are ordered by `sort` then "
    'id, and paged with an opaque cursor: the next page\'s URL is in the `Link: <…>; rel="next"` '
    "header, absent on the last page.",
    responses=problem_responses(401, 422, 503),
)
async def list_users(query: UserListQuery, request: Request, _: CurrentCaller) -> Response:
    """One page of users."""
    page = await listing.list_users(query)
    headers = {}
    if page.next_cursor is not None:
        next_url = request.url.include_query_params(cursor=page.next_cursor)
        headers["Link"] = f'<{next_url}>; rel="next"'
    return json_response([document_to_read(doc, request) for doc in page.items], headers=headers)


def _read_with_etag(user: User, request: Request, if_none_match: str | None) -> Response:
    etag = etag_of(user)
    if none_match(if_none_match, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return json_response(to_read(user, request), headers={"ETag": etag})


class UserWrite:
    """What PUT and PATCH share: who is asking, the service, the ETag precondition, metrics.

    A class dependency, so both handlers declare one parameter for it and apply it alike.
    """

    def __init__(
        self,
        caller: CurrentCaller,
        users: Users,
        request: Request,
        response: Response,
        metrics: Metrics,
        if_match: IfMatch = None,
    ) -> None:
        self.caller, self.users, self.metrics = caller, users, metrics
        self.request, self.response, self.if_match = request, response, if_match

    async def apply(self, user: User, body: UserUpdate | UserReplace) -> UserRead:
        """Check who may send what and the ETag, then write what was asked."""
        check_admin_fields(self.caller, body.admin_fields_sent())
        expected = expected_version(user, self.if_match)
        updated = await self.users.update_user(user, body, expected_version=expected)
        if updated is not user:
            self.metrics.users_updated.inc()
        self.response.headers["ETag"] = etag_of(updated)
        return to_read(updated, self.request)


Write = Annotated[UserWrite, Depends()]


@router.get(
    "/{user_id}",
    response_model=UserRead,
    summary="Get a user",
    description="Needs a token. Returns the user with an `ETag`; with a matching "
    "`If-None-Match` the answer is 304 Not Modified and no body.",
    responses={
        200: {"description": "The user.", "links": _READ_LINKS},
        304: {"description": "Not Modified"},
        **_READ_ERRORS,
    },
)
async def get_user(
    _: CurrentCaller, user: UserById, request: Request, if_none_match: IfNoneMatch = None
) -> Response:
    """One user by id (the caller first: anonymous requests learn nothing of which exist)."""
    return _read_with_etag(user, request, if_none_match)


@router.put(
    "/{user_id}",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Replace a user's fields",
    description="The user or an admin. Replaces `username`, `email` and `name` (an omitted "
    "`name` is cleared); `role` and `is_active` are admin-only and kept when omitted. With "
    "`If-Match`, a stale ETag gives 412 and changes nothing.",
    responses=_WRITE_ERRORS,
    openapi_extra=_REPLACE_BODY,
)
async def replace_user(user: OwnedUser, data: UserReplace, write: Write) -> UserRead:
    """Full replacement of the mutable fields."""
    return await write.apply(user, data)


@router.patch(
    "/{user_id}",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Update some of a user's fields",
    description="The user or an admin. JSON merge patch (RFC 7396): members present are set, "
    '`"name": null` clears the name, absent members are kept. Accepts '
    "application/merge-patch+json or application/json. `role` and `is_active` are admin-only. "
    "With `If-Match`, a stale ETag gives 412 and changes nothing.",
    responses={200: {"description": "The updated user.", "links": _UPDATED_LINKS}, **_WRITE_ERRORS},
    openapi_extra=_MERGE_PATCH_BODY,
)
async def update_user(user: OwnedUser, patch: UserUpdate, write: Write) -> UserRead:
    """Partial update."""
    return await write.apply(user, patch)


# The caller's own user: the handlers above, their target user taken from the token.
add_caller_route(
    router,
    get_user,
    "GET",
    name="get_me",
    response_model=UserRead,
    summary="Get the caller",
    description="The user the access token belongs to, with `ETag` / `If-None-Match`.",
    responses={304: {"description": "Not Modified"}, **problem_responses(401, 503)},
)
add_caller_route(
    router,
    update_user,
    "PATCH",
    name="update_me",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Update the caller",
    description="Same as `PATCH /users/{user_id}` for the caller's own user.",
    responses=_WRITE_ERRORS,
    openapi_extra=_MERGE_PATCH_BODY,
)
