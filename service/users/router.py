"""HTTP routes of the users resource, including the `/users/me` aliases."""

from __future__ import annotations

from typing import Annotated

from beanie import PydanticObjectId
from fastapi import APIRouter, Header, Request, Response, status

from service.auth import service as auth_service
from service.auth.dependencies import Claims, CurrentUser, Hasher, OptionalUser
from service.auth.errors import AdminOnly
from service.auth.schemas import PasswordChange
from service.avatars import service as avatar_service
from service.avatars.dependencies import Decoder, Storage
from service.avatars.storage import AvatarStorage
from service.avatars.uploads import check_upload, store_upload
from service.config import Settings
from service.errors import Forbidden
from service.http_caching import match_fails, none_match, strong_etag
from service.idempotency.http import Idempotent
from service.metrics import BusinessMetrics, Metrics
from service.problems import problem_responses
from service.routing import JsonBody, ServiceRoute
from service.users import service
from service.users.dependencies import (
    CREATE_USER_BODY,
    OwnedUser,
    Registration,
    UserById,
    UserListQuery,
)
from service.users.errors import StaleVersion
from service.users.models import Role, User
from service.users.read import document_to_read, json_response, to_read
from service.users.schemas import (
    ADMIN_ONLY_FIELDS,
    REPLACE_EXAMPLE,
    UPDATE_EXAMPLE,
    UserRead,
    UserReplace,
    UserUpdate,
)

router = APIRouter(prefix="/users", tags=["users"], route_class=ServiceRoute)
# Routes outside /users: the singular registration path some clients were written against.
legacy_router = APIRouter(tags=["users"], route_class=ServiceRoute)

IfMatch = Annotated[
    str | None,
    Header(description="ETag from a previous read; the write fails with 412 if it is stale."),
]
IfNoneMatch = Annotated[
    str | None, Header(description="ETag the client holds; 304 when it is still current.")
]
# Media-type examples are what Swagger's "Try it out" sends: only harmless fields.
_UPDATE_BODY = {"schema": {"$ref": "#/components/schemas/UserUpdate"}, "example": UPDATE_EXAMPLE}
_MERGE_PATCH_BODY = {
    "requestBody": {
        "content": {"application/json": _UPDATE_BODY, "application/merge-patch+json": _UPDATE_BODY}
    }
}
_REPLACE_BODY = {"requestBody": {"content": {"application/json": {"example": REPLACE_EXAMPLE}}}}


def _user_link(method: str, description: str, user_id: str) -> dict[str, object]:
    return {
        "operationRef": f"#/paths/~1users~1{{user_id}}/{method}",
        "parameters": {"user_id": user_id},
        "description": description,
    }


# OpenAPI links: how a client (and schemathesis's stateful tests) goes from a created user
# to reading, changing and deleting it.
_CREATED_LINKS = {
    "GetUser": _user_link("get", "Read the user just created.", "$response.body#/id"),
    "UpdateUser": _user_link("patch", "Change some fields of it.", "$response.body#/id"),
    "ReplaceUser": _user_link("put", "Replace its fields.", "$response.body#/id"),
    "DeleteUser": _user_link("delete", "Delete it.", "$response.body#/id"),
}
_READ_LINKS = {
    "UpdateUser": _user_link("patch", "Change some fields of it.", "$request.path.user_id"),
    "DeleteUser": _user_link("delete", "Delete it.", "$request.path.user_id"),
}
_UPDATED_LINKS = {
    "GetUser": _user_link("get", "Read it again.", "$request.path.user_id"),
    "DeleteUser": _user_link("delete", "Delete it.", "$request.path.user_id"),
}
_READ_ERRORS = problem_responses(401, 404, 422, 503)
_WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409, 412, 415, 422, 503)


def etag_of(user: User) -> str:
    """The entity tag of a user's current version."""
    return strong_etag(f"{user.id}.{user.version}")


def _expected_version(user: User, if_match: str | None) -> int | None:
    if match_fails(if_match, etag_of(user)):
        raise StaleVersion
    return user.version if if_match is not None else None


def _check_admin_fields(caller: User | None, sent: set[str]) -> None:
    if sent and (caller is None or caller.role is not Role.ADMIN):
        raise AdminOnly(f"Only an admin may set {', '.join(sorted(sent))}.")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    summary="Register a user",
    description="Creates a user; open to anyone unless registration is closed (then admins "
    "only). Send JSON, or multipart/form-data with the same fields plus an optional `avatar` "
    "image to create user and avatar in one request. Username and email are stored "
    "lower-case and must be unique (409 names the taken field). The password is stored only "
    "as an Argon2id hash and never returned. Only an admin may set `role` or `is_active`. "
    "Answers 201 with `Location` and `ETag`. Send an `Idempotency-Key` to make retries safe: "
    "a 503 on this write may mean the user was created, and a retry with the same key gets "
    "the first answer instead of a 409 or a second user.",
    responses={
        201: {"description": "Created", "links": _CREATED_LINKS},
        **problem_responses(400, 401, 403, 409, 413, 415, 422, 503),
    },
    openapi_extra=CREATE_USER_BODY,
)
async def create_user(
    registration: Registration,
    request: Request,
    hasher: Hasher,
    metrics: Metrics,
    caller: OptionalUser,
    storage: Storage,
    decoder: Decoder,
    idempotent: Idempotent,
) -> Response:
    """Register a new user, with an avatar when one is sent; at most once per key."""
    data, avatar = registration
    settings: Settings = request.state.settings
    is_admin = caller is not None and caller.role is Role.ADMIN
    if not settings.registration_open and not is_admin:
        raise Forbidden("Registration is closed.")
    _check_admin_fields(caller, data.admin_fields_sent())

    async def register(user_id: PydanticObjectId | None, resumed: bool) -> Response:
        # A resumed key whose user exists was created by the attempt that failed: answer
        # with it, without hashing the password again.
        user = await service.find_user(user_id) if resumed and user_id else None
        if user is None:
            if not resumed:
                # Cheap checks first: a taken name costs one indexed read, not a decode and
                # a hash. Skipped on a resume, whose own earlier insert may hold the name:
                # create_user tells that apart by the id.
                await service.check_available(data.username, data.email)
            # Validate the image before creating anyone, so a bad image leaves nothing behind.
            image = await check_upload(avatar, decoder, metrics) if avatar is not None else None
            user = await service.create_user(data, hasher, user_id=user_id)
            metrics.users_created.inc()
            if avatar is not None and image is not None:
                user = await store_upload(user, image, len(avatar), storage, metrics)
        headers = {
            "Location": str(request.url_for("get_user", user_id=str(user.id))),
            "ETag": etag_of(user),
        }
        return json_response(to_read(user, request), status_code=201, headers=headers)

    return await idempotent.respond(
        operation="users.create",
        caller=str(caller.id) if caller is not None else "anonymous",
        content=data.model_dump(mode="json"),
        attachment=avatar,
        action=register,
    )


legacy_router.add_api_route(
    "/user",
    create_user,
    methods=["POST"],
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    deprecated=True,
    summary="Register a user (deprecated alias of POST /users)",
    description="Accepts exactly what `POST /users` accepts and answers the same; use "
    "`POST /users`, which this path will eventually give way to.",
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422, 503),
    openapi_extra=CREATE_USER_BODY,
    operation_id="create_user_deprecated_alias",
)


@router.get(
    "",
    response_model=list[UserRead],
    summary="List and search users",
    description="Needs a token. Filters combine with AND. Results are ordered by `sort` then "
    'id, and paged with an opaque cursor: the next page\'s URL is in the `Link: <…>; rel="next"` '
    "header, absent on the last page.",
    responses=problem_responses(401, 422, 503),
)
async def list_users(query: UserListQuery, request: Request, _: CurrentUser) -> Response:
    """One page of users."""
    page = await service.list_users(query)
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


async def _apply(
    user: User,
    body: UserUpdate | UserReplace,
    caller: User,
    request: Request,
    response: Response,
    metrics: BusinessMetrics,
    if_match: str | None,
) -> UserRead:
    """PUT and PATCH: check who may send what and the ETag, then write what was asked."""
    sent_admin_fields = body.admin_fields_sent()
    _check_admin_fields(caller, sent_admin_fields)
    expected = _expected_version(user, if_match)
    if isinstance(body, UserReplace):  # every mutable field; admin-only ones only when sent
        changes = body.model_dump(exclude=set(ADMIN_ONLY_FIELDS - sent_admin_fields))
    else:  # merge patch: only the members sent
        changes = body.model_dump(exclude_unset=True)
    updated = user
    if changes:
        updated = await service.update_user(user, changes, expected_version=expected)
        metrics.users_updated.inc()
    response.headers["ETag"] = etag_of(updated)
    return to_read(updated, request)


async def _delete(
    user: User, metrics: BusinessMetrics, storage: AvatarStorage, if_match: str | None
) -> Response:
    # The version is checked by the delete itself, so a write that lands in between wins
    # and the delete answers 412 instead of removing what it did not see.
    await service.delete_user(user, expected_version=_expected_version(user, if_match))
    assert user.id is not None  # noqa: S101 - stored users always have an id
    await auth_service.forget_user(user.id)
    await avatar_service.forget_avatar(str(user.id), storage)
    metrics.users_deleted.inc()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/me",
    response_model=UserRead,
    summary="Get the caller",
    description="The user the access token belongs to, with `ETag` / `If-None-Match`.",
    responses={304: {"description": "Not Modified"}, **problem_responses(401, 503)},
)
async def get_me(
    caller: CurrentUser, request: Request, if_none_match: IfNoneMatch = None
) -> Response:
    """The caller's own user."""
    return _read_with_etag(caller, request, if_none_match)


@router.patch(
    "/me",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Update the caller",
    description="Same as `PATCH /users/{user_id}` for the caller's own user.",
    responses=_WRITE_ERRORS,
    openapi_extra=_MERGE_PATCH_BODY,
)
async def update_me(
    patch: UserUpdate,
    caller: CurrentUser,
    request: Request,
    response: Response,
    metrics: Metrics,
    if_match: IfMatch = None,
) -> UserRead:
    """Partial update of the caller."""
    return await _apply(caller, patch, caller, request, response, metrics, if_match)


@router.delete(
    "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete the caller",
    description="Deletes the caller's own user and ends all of their sessions.",
    responses=problem_responses(401, 412, 503),
)
async def delete_me(
    caller: CurrentUser, metrics: Metrics, storage: Storage, if_match: IfMatch = None
) -> Response:
    """Remove the caller."""
    return await _delete(caller, metrics, storage, if_match)


@router.put(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[JsonBody],
    summary="Change the caller's password",
    description="Needs the current password. Every other session ends: their refresh tokens "
    "are revoked and all access tokens issued so far stop working; this session's refresh "
    "token keeps working and yields a fresh access token.",
    responses=problem_responses(400, 401, 403, 415, 422, 503),
)
async def change_password(
    body: PasswordChange, caller: CurrentUser, claims: Claims, hasher: Hasher
) -> Response:
    """Set a new password."""
    await auth_service.change_password(
        caller,
        body.current_password,
        body.new_password,
        session_id=claims.session_id,
        hasher=hasher,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


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
    user: UserById, _: CurrentUser, request: Request, if_none_match: IfNoneMatch = None
) -> Response:
    """One user by id."""
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
async def replace_user(
    user: OwnedUser,
    data: UserReplace,
    caller: CurrentUser,
    request: Request,
    response: Response,
    metrics: Metrics,
    if_match: IfMatch = None,
) -> UserRead:
    """Full replacement of the mutable fields."""
    return await _apply(user, data, caller, request, response, metrics, if_match)


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
async def update_user(
    user: OwnedUser,
    patch: UserUpdate,
    caller: CurrentUser,
    request: Request,
    response: Response,
    metrics: Metrics,
    if_match: IfMatch = None,
) -> UserRead:
    """Partial update."""
    return await _apply(user, patch, caller, request, response, metrics, if_match)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a user",
    description="The user or an admin. Deletes the user and every session of theirs. With "
    "`If-Match`, a stale ETag gives 412.",
    responses=problem_responses(401, 403, 404, 412, 422, 503),
)
async def delete_user(
    user: OwnedUser, metrics: Metrics, storage: Storage, if_match: IfMatch = None
) -> Response:
    """Remove a user."""
    return await _delete(user, metrics, storage, if_match)
