"""How the users routes answer: the public view of a stored user (with absolute links
that depend on the request), ETags, `If-Match` and 304s, the 201 of a registration, and
writes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from beanie import PydanticObjectId
from fastapi import Depends
from starlette.requests import Request
from starlette.responses import Response

from service.accounts import profile_changes
from service.api.deps import UserIdPath, request_audit
from service.http.caching import match_fails, none_match, strong_etag
from service.observability.counters import BusinessMetrics
from service.users import read_json, repository
from service.users.errors import StaleVersion
from service.users.listing import Page
from service.users.models import User
from service.users.permissions import check_admin_fields
from service.users.repository import ListedUser
from service.users.schemas import UserRead, UserReplace, UserUpdate
from service.users.service import UserService

_JSON = "application/json"


def _version_etag(user_id: object, version: object) -> str:
    return strong_etag(f"{user_id}.{version}")


def etag_of(user: User) -> str:
    """The entity tag of a user's current version."""
    return _version_etag(user.id, user.version)


def expected_version(user: User, if_match: str | None) -> int | None:
    """The version a conditional write must match (None without `If-Match`), or 412."""
    if match_fails(if_match, etag_of(user)):
        raise StaleVersion
    return user.version if if_match is not None else None


def _avatar_url(request: Request, user_id: object, etag: str) -> str:
    # The image's hash in the URL: a new avatar is a new URL, so caches never serve the old.
    url = request.url_for("get_avatar", user_id=str(user_id))
    return str(url.include_query_params(v=etag))


def listed_fields(listed: ListedUser, request: Request) -> dict[str, Any]:
    """A listed user's `UserRead` fields, with its absolute avatar URL."""
    document, tag = listed
    url = None if tag is None else _avatar_url(request, document["_id"], tag)
    return read_json.document_fields(document, url)


def to_read(user: User, request: Request) -> UserRead:
    """A `UserRead` whose `avatar_url` is absolute and changes with each new image."""
    read = UserRead.model_validate(user)
    if user.avatar is not None:
        read.avatar_url = _avatar_url(request, user.id, user.avatar.etag)
    return read


def user_response(
    user: User, request: Request, *, status_code: int = 200, headers: dict[str, str]
) -> Response:
    """The user as its `UserRead`, rendered from the stored user without validating it
    again (`users.read_json`)."""
    url = None if user.avatar is None else _avatar_url(request, user.id, user.avatar.etag)
    body = read_json.dumps(read_json.user_fields(user, url))
    return Response(body, status_code=status_code, headers=headers, media_type=_JSON)


def _conditional_read(
    etag: str, if_none_match: str | None, render: Callable[[], Response]
) -> Response:
    # The body is rendered only when the client's copy is not current.
    if none_match(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    response = render()
    response.headers["ETag"] = etag
    return response


def read_with_etag(user: User, request: Request, if_none_match: str | None) -> Response:
    """The user with its `ETag`, or 304 when the client's copy is current."""
    return _conditional_read(
        etag_of(user), if_none_match, lambda: user_response(user, request, headers={})
    )


async def public_user_by_id(user_id: UserIdPath) -> ListedUser:
    """The user named in the path as a read shows it, or a 404."""
    return await repository.get_public(user_id)


PublicUserById = Annotated[ListedUser, Depends(public_user_by_id)]
# What a user stored before versions were counted reads as (the model's default).
_FIRST_VERSION = User.model_fields["version"].default


def read_public_with_etag(
    listed: ListedUser, request: Request, if_none_match: str | None
) -> Response:
    """A user read by `public_user_by_id`, with its `ETag` (the one `etag_of` gives the
    same user), or 304 when the client's copy is current."""
    document = listed.document
    etag = _version_etag(document["_id"], document.get("version", _FIRST_VERSION))
    return _conditional_read(
        etag,
        if_none_match,
        lambda: Response(read_json.dumps(listed_fields(listed, request)), media_type=_JSON),
    )


def created_response(request: Request, user: User) -> Response:
    """The 201 of a registration, with the new user's `Location` and `ETag`."""
    headers = {
        "Location": str(request.url_for("get_user", user_id=str(user.id))),
        "ETag": etag_of(user),
    }
    return user_response(user, request, status_code=201, headers=headers)


# `accounts.registration.register` with everything but the id and the resume flag bound.
Register = Callable[..., Awaitable[User]]


async def registered_response(
    request: Request, register: Register, user_id: PydanticObjectId | None, resumed: bool
) -> Response:
    """Run a registration (under the id an idempotency key fixed) and answer its 201."""
    return created_response(request, await register(user_id=user_id, resumed=resumed))


def page_response(page: Page, request: Request) -> Response:
    """One page of users, the next page's URL in a `Link` header unless it is the last."""
    headers = {}
    if page.next_cursor is not None:
        next_url = request.url.include_query_params(cursor=page.next_cursor)
        headers["Link"] = f'<{next_url}>; rel="next"'
    body = read_json.dumps([listed_fields(listed, request) for listed in page.items])
    return Response(body, headers=headers, media_type=_JSON)


async def write_user(
    caller: User,
    user: User,
    body: UserUpdate | UserReplace,
    if_match: str | None,
    users: UserService,
    metrics: BusinessMetrics,
    request: Request,
    response: Response,
) -> UserRead:
    """What PUT and PATCH (on an id or on /me) share: who may send what, the ETag check,
    the write, and the answer with the new `ETag`."""
    check_admin_fields(caller, body.admin_fields_sent())
    version = expected_version(user, if_match)
    audit = await request_audit(request)
    updated = await profile_changes.update_user(
        caller, user, body, users, audit, expected_version=version
    )
    if updated is not user:
        metrics.users_updated.inc()
    response.headers["ETag"] = etag_of(updated)
    return to_read(updated, request)
