"""Routes whose work spans domains: registration (user, avatar, idempotency), deleting an
account (user, sessions, avatar) and changing a password (user, sessions).

They live above the domains, so that `users`, `auth` and `avatars` need not know each other.
"""

from __future__ import annotations

from beanie import PydanticObjectId
from fastapi import APIRouter, Request, Response, status

from service.accounts import avatars as account_avatars
from service.accounts import lifecycle, passwords
from service.accounts.avatar_uploads import check_upload, store_upload
from service.accounts.lifecycle_router import Mail, Policy
from service.auth import one_time
from service.auth import service as sessions
from service.auth.dependencies import Claims, ClientAddress, Hasher
from service.auth.schemas import PasswordChange
from service.avatars.dependencies import Decoder, Storage
from service.avatars.storage import AvatarStorage
from service.core.errors import Forbidden
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute
from service.idempotency.http import Idempotent
from service.kernel.identity import OptionalCaller, is_admin
from service.kernel.state import SettingsDep
from service.observability.metrics import BusinessMetrics, Metrics
from service.users import lookup
from service.users.dependencies import (
    CREATE_USER_BODY,
    CurrentUser,
    OwnedUser,
    Registration,
    Users,
    add_caller_route,
)
from service.users.models import User
from service.users.preconditions import IfMatch, check_admin_fields, etag_of, expected_version
from service.users.read import json_response, to_read
from service.users.router import user_link
from service.users.schemas import UserRead
from service.users.service import UserService

router = APIRouter(prefix="/users", tags=["users"], route_class=ServiceRoute)
# Routes outside /users: the singular registration path some clients were written against.
legacy_router = APIRouter(tags=["users"], route_class=ServiceRoute)

_CREATED_LINKS = {
    "GetUser": user_link("get", "Read the user just created.", "$response.body#/id"),
    "UpdateUser": user_link("patch", "Change some fields of it.", "$response.body#/id"),
    "ReplaceUser": user_link("put", "Replace its fields.", "$response.body#/id"),
    "DeleteUser": user_link("delete", "Delete it.", "$response.body#/id"),
}


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
    settings: SettingsDep,
    users: Users,
    hasher: Hasher,
    metrics: Metrics,
    caller: OptionalCaller,
    storage: Storage,
    decoder: Decoder,
    idempotent: Idempotent,
    mail: Mail,
    mail_policy: Policy,
    client: ClientAddress,
) -> Response:
    """Register a new user, with an avatar when one is sent; at most once per key."""
    data, avatar = registration
    if not settings.registration_open and not is_admin(caller):
        raise Forbidden("Registration is closed.")
    check_admin_fields(caller, data.admin_fields_sent())

    async def register(user_id: PydanticObjectId | None, resumed: bool) -> Response:
        # A resumed key whose user exists was created by the attempt that failed: answer
        # with it, without hashing the password again.
        user = await lookup.find_user(user_id) if resumed and user_id else None
        if user is None:
            if not resumed:
                # Cheap checks first: a taken name costs one indexed read, not a decode and
                # a hash. Skipped on a resume, whose own earlier insert may hold the name:
                # create_user tells that apart by the id.
                await lookup.check_available(data.username, data.email)
            # Validate the image before creating anyone, so a bad image leaves nothing behind.
            image = await check_upload(avatar, decoder, metrics) if avatar is not None else None
            user = await users.create_user(data, hasher, user_id=user_id)
            metrics.users_created.inc()
            # Sent in the background: the 201 does not wait for the mail server.
            await lifecycle.send_verification(user, client, mail, mail_policy)
            if avatar is not None and image is not None:
                user = await store_upload(users, user, image, len(avatar), storage, metrics)
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


async def _delete_account(
    users: UserService,
    user: User,
    metrics: BusinessMetrics,
    storage: AvatarStorage,
    if_match: str | None,
) -> Response:
    # The version is checked by the delete itself, so a write that lands in between wins
    # and the delete answers 412 instead of removing what it did not see.
    await users.delete_user(user, expected_version=expected_version(user, if_match))
    assert user.id is not None  # noqa: S101 - stored users always have an id
    await sessions.forget_user(user.id)
    await one_time.forget_user(user.id)
    await account_avatars.forget_avatar(str(user.id), storage)
    metrics.users_deleted.inc()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[JsonBody],
    summary="Change the caller's password",
    description="Needs the current password. Every other session ends: their refresh tokens "
    "are revoked and all access tokens issued so far stop working; this session's refresh "
    "token keeps working and yields a fresh access token. The new password and the end of "
    "the old tokens come in one write: after a 503, either both happened or neither.",
    responses=problem_responses(400, 401, 403, 415, 422, 503),
)
async def change_password(
    body: PasswordChange, caller: CurrentUser, users: Users, claims: Claims, hasher: Hasher
) -> Response:
    """Set a new password."""
    await passwords.change_password(
        users,
        caller,
        body.current_password,
        body.new_password,
        session_id=claims.session_id,
        hasher=hasher,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a user",
    description="The user or an admin. Deletes the user and every session of theirs. With "
    "`If-Match`, a stale ETag gives 412.",
    responses=problem_responses(401, 403, 404, 412, 422, 503),
)
async def delete_user(
    user: OwnedUser, users: Users, metrics: Metrics, storage: Storage, if_match: IfMatch = None
) -> Response:
    """Remove a user."""
    return await _delete_account(users, user, metrics, storage, if_match)


# The caller's own account: the same handler, the user taken from the token.
add_caller_route(
    router,
    delete_user,
    "DELETE",
    name="delete_me",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete the caller",
    description="Deletes the caller's own user and ends all of their sessions.",
    responses=problem_responses(401, 412, 503),
)
