"""Dependencies of the users routes: each validates and returns what the handler needs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from beanie import PydanticObjectId
from fastapi import Depends, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile as StarletteUploadFile

from service.auth.dependencies import CurrentUser
from service.errors import Forbidden, InvalidParameter, UnsupportedMediaType
from service.media_types import media_type
from service.users import service
from service.users.models import Role, User
from service.users.schemas import ListQuery, UserCreate

JSON_MEDIA_TYPES = ("application/json", "application/merge-patch+json")


async def user_by_id(
    user_id: Annotated[
        PydanticObjectId, Path(description="The user's id: 24 hexadecimal characters.")
    ],
) -> User:
    """The user named in the path, or a 404."""
    return await service.get_user(user_id)


async def require_json_body(content_type: Annotated[str | None, Header()] = None) -> None:
    """Refuse bodies that are not JSON with a 415 rather than a confusing 422."""
    if media_type(content_type) not in JSON_MEDIA_TYPES:
        raise UnsupportedMediaType(
            "Send the body as application/json (or application/merge-patch+json for PATCH)."
        )


async def list_query(
    username: Annotated[str | None, Query(max_length=32, description="Exact username.")] = None,
    email: Annotated[str | None, Query(max_length=254, description="Exact email address.")] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Case-insensitive prefix of username, name or email.",
        ),
    ] = None,
    role: Annotated[Role | None, Query(description="Only users with this role.")] = None,
    is_active: Annotated[bool | None, Query(description="Only active or inactive users.")] = None,
    created_after: Annotated[
        datetime | None, Query(description="Created strictly after this RFC 3339 time.")
    ] = None,
    created_before: Annotated[
        datetime | None, Query(description="Created strictly before this RFC 3339 time.")
    ] = None,
    sort: Annotated[
        Literal["created_at", "-created_at", "username", "-username"],
        Query(description="Sort key; a leading '-' sorts descending."),
    ] = "-created_at",
    limit: Annotated[int, Query(ge=1, le=100, description="Page size.")] = 20,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="Opaque cursor from the previous page's Link header."),
    ] = None,
) -> ListQuery:
    """Collect and validate the filters of `GET /users`."""
    return ListQuery(
        username=username,
        email=email,
        q=q,
        role=role,
        is_active=is_active,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )


async def owned_user(user: Annotated[User, Depends(user_by_id)], caller: CurrentUser) -> User:
    """The user in the path, if the caller is that user or an admin; else a 403."""
    if caller.id != user.id and caller.role is not Role.ADMIN:
        raise Forbidden("Only this user or an admin may do this.")
    return user


UserById = Annotated[User, Depends(user_by_id)]
OwnedUser = Annotated[User, Depends(owned_user)]
UserListQuery = Annotated[ListQuery, Depends(list_query)]
JsonBody = Depends(require_json_body)


_MULTIPART_FIELDS = ("username", "email", "password", "name")
_REGISTRATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["username", "email", "password"],
    "properties": {
        "username": {"type": "string", "minLength": 3, "maxLength": 32},
        "email": {"type": "string", "format": "email"},
        "password": {"type": "string", "format": "password", "minLength": 8, "maxLength": 128},
        "name": {"type": "string", "maxLength": 100},
        "avatar": {"type": "string", "format": "binary", "description": "Optional image."},
    },
}
CREATE_USER_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/UserCreate"}},
            "multipart/form-data": {"schema": _REGISTRATION_SCHEMA},
        },
    }
}


def _as_request_error(exc: ValidationError) -> RequestValidationError:
    return RequestValidationError(
        [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
    )


async def registration(request: Request) -> tuple[UserCreate, bytes | None]:
    """Parse `POST /users`: a JSON body, or multipart fields plus an optional `avatar` file."""
    declared = media_type(request.headers.get("content-type"))
    if declared in JSON_MEDIA_TYPES:
        try:
            return UserCreate.model_validate_json(await request.body()), None
        except ValidationError as exc:
            raise _as_request_error(exc) from None
    if declared != "multipart/form-data":
        raise UnsupportedMediaType("Send application/json, or multipart/form-data with an avatar.")
    async with request.form(max_files=1, max_fields=len(_MULTIPART_FIELDS) + 1) as form:
        fields: dict[str, Any] = {}
        avatar: bytes | None = None
        for key, value in form.multi_items():
            if isinstance(value, StarletteUploadFile):
                if key != "avatar":
                    raise InvalidParameter(
                        ["body", key], "only `avatar` may be a file", "extra_forbidden"
                    )
                avatar = await value.read()
            else:
                fields[key] = value
    try:
        return UserCreate.model_validate(fields), avatar
    except ValidationError as exc:
        raise _as_request_error(exc) from None


Registration = Annotated[tuple[UserCreate, bytes | None], Depends(registration)]
