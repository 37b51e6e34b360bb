"""The users resource: `/users` (list, register, read, change, delete), `/users/me` (declared
first, so `me` is never read as an id), and the deprecated `/user` registration alias."""

from __future__ import annotations

import functools

from fastapi import APIRouter, Request, Response, status

from service.accounts.deletion import delete_account
from service.accounts.registration import check_may_register, register
from service.api import user_docs as docs
from service.api import user_views as views
from service.api.deps import (
    AuditDep,
    AvatarStore,
    ClientAddress,
    CurrentUser,
    Decoder,
    Hasher,
    IfMatch,
    IfNoneMatch,
    Mail,
    MailPolicyDep,
    Metrics,
    OptionalUser,
    OwnedUser,
    Passwords,
    SettingsDep,
    Users,
)
from service.api.idempotent import Idempotent
from service.api.user_params import CREATE_USER_BODY, Registration, UserListQuery
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute
from service.users import listing
from service.users.schemas import UserRead, UserReplace, UserUpdate

router = APIRouter(tags=["users"], route_class=ServiceRoute)
NO_CONTENT = status.HTTP_204_NO_CONTENT


@router.get(
    "/users/me",
    response_model=UserRead,
    summary="Get the caller",
    description="The user the access token belongs to, with `ETag` / `If-None-Match`.",
    responses={304: {"description": "Not Modified"}, **problem_responses(401, 503)},
)
async def get_me(
    user: CurrentUser, request: Request, if_none_match: IfNoneMatch = None
) -> Response:
    """The caller's own user."""
    return views.read_with_etag(user, request, if_none_match)


@router.patch(
    "/users/me",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Update the caller",
    description="Same as `PATCH /users/{user_id}` for the caller's own user.",
    responses=docs.WRITE_ERRORS,
    openapi_extra=docs.MERGE_PATCH_BODY,
)
async def update_me(
    user: CurrentUser,
    patch: UserUpdate,
    users: Users,
    request: Request,
    response: Response,
    metrics: Metrics,
    if_match: IfMatch = None,
) -> UserRead:
    """Partial update of the caller's own user."""
    return await views.write_user(user, user, patch, if_match, users, metrics, request, response)


@router.delete(
    "/users/me",
    status_code=NO_CONTENT,
    summary="Delete the caller",
    description="Deletes the caller's own user and ends all of their sessions.",
    responses=problem_responses(401, 412, 503),
)
async def delete_me(
    user: CurrentUser,
    users: Users,
    metrics: Metrics,
    storage: AvatarStore,
    if_match: IfMatch = None,
) -> Response:
    """Remove the caller's own user."""
    version = views.expected_version(user, if_match)
    await delete_account(users, user, storage, metrics, expected_version=version)
    return Response(status_code=NO_CONTENT)


@router.get(
    "/users",
    response_model=list[UserRead],
    summary="List and search users",
    description=docs.LIST,
    responses=problem_responses(401, 422, 503),
)
async def list_users(query: UserListQuery, request: Request, _: CurrentUser) -> Response:
    """One page of users."""
    return views.page_response(await listing.list_users(query), request)


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    summary="Register a user",
    description=docs.CREATE,
    responses={201: {"description": "Created", "links": docs.CREATED_LINKS}, **docs.CREATE_ERRORS},
    openapi_extra=CREATE_USER_BODY,
)
async def create_user(
    registration: Registration,
    request: Request,
    settings: SettingsDep,
    users: Users,
    hasher: Hasher,
    policy: Passwords,
    metrics: Metrics,
    caller: OptionalUser,
    storage: AvatarStore,
    decoder: Decoder,
    idempotent: Idempotent,
    mail: Mail,
    mail_policy: MailPolicyDep,
    client: ClientAddress,
    audit: AuditDep,
) -> Response:
    """Register a new user, with an avatar when one is sent; at most once per key."""
    data, avatar = registration
    check_may_register(data, caller, settings.registration_open)
    action = functools.partial(
        register, data, avatar, users=users, hasher=hasher, passwords=policy, decoder=decoder,
        storage=storage, metrics=metrics, mail=mail, mail_policy=mail_policy, client=client,
        caller=caller, audit=audit,
    )  # fmt: skip
    return await idempotent.respond(
        operation="users.create",
        caller=str(caller.id) if caller is not None else "anonymous",
        content=data.model_dump(mode="json"),
        attachment=avatar,
        action=functools.partial(views.registered_response, request, action),
    )


router.add_api_route(
    "/user",
    create_user,
    methods=["POST"],
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    deprecated=True,
    summary="Register a user (deprecated alias of POST /users)",
    description=docs.CREATE_ALIAS,
    responses=docs.CREATE_ERRORS,
    openapi_extra=CREATE_USER_BODY,
    operation_id="create_user_deprecated_alias",
)


@router.get(
    "/users/{user_id}",
    response_model=UserRead,
    summary="Get a user",
    description=docs.GET,
    responses={
        200: {"description": "The user.", "links": docs.READ_LINKS},
        304: {"description": "Not Modified"},
        **docs.READ_ERRORS,
    },
)
async def get_user(
    _: CurrentUser, user: views.PublicUserById, request: Request, if_none_match: IfNoneMatch = None
) -> Response:
    """One user by id (the caller first: anonymous requests learn nothing of which exist)."""
    return views.read_public_with_etag(user, request, if_none_match)


@router.put(
    "/users/{user_id}",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Replace a user's fields",
    description=docs.REPLACE,
    responses=docs.WRITE_ERRORS,
    openapi_extra=docs.REPLACE_BODY,
)
async def replace_user(
    user: OwnedUser,
    data: UserReplace,
    caller: CurrentUser,
    users: Users,
    request: Request,
    response: Response,
    metrics: Metrics,
    if_match: IfMatch = None,
) -> UserRead:
    """Full replacement of the mutable fields."""
    return await views.write_user(caller, user, data, if_match, users, metrics, request, response)


@router.patch(
    "/users/{user_id}",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Update some of a user's fields",
    description=docs.UPDATE,
    responses={
        200: {"description": "The updated user.", "links": docs.UPDATED_LINKS},
        **docs.WRITE_ERRORS,
    },
    openapi_extra=docs.MERGE_PATCH_BODY,
)
async def update_user(
    user: OwnedUser,
    patch: UserUpdate,
    caller: CurrentUser,
    users: Users,
    request: Request,
    response: Response,
    metrics: Metrics,
    if_match: IfMatch = None,
) -> UserRead:
    """Partial update."""
    return await views.write_user(caller, user, patch, if_match, users, metrics, request, response)


@router.delete(
    "/users/{user_id}",
    status_code=NO_CONTENT,
    summary="Delete a user",
    description=docs.DELETE,
    responses=problem_responses(401, 403, 404, 412, 422, 503),
)
async def delete_user(
    user: OwnedUser, users: Users, metrics: Metrics, storage: AvatarStore, if_match: IfMatch = None
) -> Response:
    """Remove a user."""
    version = views.expected_version(user, if_match)
    await delete_account(users, user, storage, metrics, expected_version=version)
    return Response(status_code=NO_CONTENT)
