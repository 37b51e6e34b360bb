"""HTTP routes of the users resource."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from service.config import Settings
from service.errors import Forbidden
from service.http_caching import match_fails, none_match, strong_etag
from service.metrics import Metrics
from service.problems import problem_responses
from service.users import service
from service.users.dependencies import Hasher, JsonBody, UserById, UserListQuery
from service.users.errors import StaleVersion
from service.users.models import User
from service.users.schemas import UserCreate, UserRead, UserReplace, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])

IfMatch = Annotated[
    str | None,
    Header(description="ETag from a previous read; the write fails with 412 if it is stale."),
]
IfNoneMatch = Annotated[
    str | None, Header(description="ETag the client holds; 304 when it is still current.")
]
_MERGE_PATCH_BODY = {
    "requestBody": {
        "content": {
            "application/merge-patch+json": {"schema": {"$ref": "#/components/schemas/UserUpdate"}}
        }
    }
}


def etag_of(user: User) -> str:
    """The entity tag of a user's current version."""
    return strong_etag(f"{user.id}.{user.version}")


def to_read(user: User) -> UserRead:
    """The public view of a stored user."""
    return UserRead.model_validate(user)


def _expected_version(user: User, if_match: str | None) -> int | None:
    if match_fails(if_match, etag_of(user)):
        raise StaleVersion
    return user.version if if_match is not None else None


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Register a user",
    description="Creates a user. Username and email are stored lower-case and must be unique "
    "(409 names the taken field). The password is stored only as an Argon2id hash and is "
    "never returned. Answers 201 with `Location` and `ETag`.",
    responses=problem_responses(400, 403, 409, 415, 422, 503),
)
async def create_user(
    data: UserCreate, request: Request, response: Response, hasher: Hasher, metrics: Metrics
) -> UserRead:
    """Register a new user."""
    settings: Settings = request.state.settings
    if not settings.registration_open:
        raise Forbidden("Registration is closed.")
    user = await service.create_user(data, hasher)
    metrics.users_created.inc()
    response.headers["Location"] = str(request.url_for("get_user", user_id=str(user.id)))
    response.headers["ETag"] = etag_of(user)
    return to_read(user)


@router.get(
    "",
    response_model=list[UserRead],
    summary="List and search users",
    description="Filters combine with AND. Results are ordered by `sort` then id, and paged "
    'with an opaque cursor: the next page\'s URL is in the `Link: <…>; rel="next"` header, '
    "absent on the last page.",
    responses=problem_responses(422, 503),
)
async def list_users(query: UserListQuery, request: Request, response: Response) -> list[UserRead]:
    """One page of users."""
    page = await service.list_users(query)
    if page.next_cursor is not None:
        next_url = request.url.include_query_params(cursor=page.next_cursor)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return [to_read(user) for user in page.items]


@router.get(
    "/{user_id}",
    response_model=UserRead,
    summary="Get a user",
    description="Returns the user with an `ETag`; with a matching `If-None-Match` the answer "
    "is 304 Not Modified and no body.",
    responses={304: {"description": "Not Modified"}, **problem_responses(404, 422, 503)},
)
async def get_user(
    user: UserById, response: Response, if_none_match: IfNoneMatch = None
) -> UserRead | Response:
    """One user by id."""
    etag = etag_of(user)
    if none_match(if_none_match, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return to_read(user)


@router.put(
    "/{user_id}",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Replace a user's fields",
    description="Replaces every mutable field (`username`, `email`, `name`; an omitted `name` "
    "is cleared). With `If-Match`, a stale ETag gives 412 and changes nothing.",
    responses=problem_responses(400, 404, 409, 412, 415, 422, 503),
)
async def replace_user(
    user: UserById,
    data: UserReplace,
    response: Response,
    metrics: Metrics,
    if_match: IfMatch = None,
) -> UserRead:
    """Full replacement of the mutable fields."""
    expected = _expected_version(user, if_match)
    updated = await service.update_user(user, data.model_dump(), expected_version=expected)
    metrics.users_updated.inc()
    response.headers["ETag"] = etag_of(updated)
    return to_read(updated)


@router.patch(
    "/{user_id}",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Update some of a user's fields",
    description='JSON merge patch (RFC 7396): members present are set, `"name": null` clears '
    "the name, absent members are kept. Accepts application/merge-patch+json or "
    "application/json. With `If-Match`, a stale ETag gives 412 and changes nothing.",
    responses=problem_responses(400, 404, 409, 412, 415, 422, 503),
    openapi_extra=_MERGE_PATCH_BODY,
)
async def update_user(
    user: UserById,
    patch: UserUpdate,
    response: Response,
    metrics: Metrics,
    if_match: IfMatch = None,
) -> UserRead:
    """Partial update."""
    expected = _expected_version(user, if_match)
    changes = patch.changes()
    updated = (
        await service.update_user(user, changes, expected_version=expected) if changes else user
    )
    if changes:
        metrics.users_updated.inc()
    response.headers["ETag"] = etag_of(updated)
    return to_read(updated)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a user",
    description="Deletes the user. With `If-Match`, a stale ETag gives 412.",
    responses=problem_responses(404, 412, 422, 503),
)
async def delete_user(user: UserById, metrics: Metrics, if_match: IfMatch = None) -> Response:
    """Remove a user."""
    _expected_version(user, if_match)
    await service.delete_user(user)
    metrics.users_deleted.inc()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
