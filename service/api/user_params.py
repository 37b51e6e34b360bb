"""What the users routes read from a request beyond the path: the list filters, and the
registration body (JSON, or multipart fields with an optional avatar file)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile as StarletteUploadFile

from service.core.errors import InvalidParameter, MalformedJson, UnsupportedMediaType
from service.core.timestamps import QueryBool, UtcDateTime
from service.http.media_types import IMAGE_MEDIA_TYPES, media_type
from service.http.routing import JSON_MEDIA_TYPES
from service.users.models import Role
from service.users.schemas import (
    ADMIN_ONLY_FIELDS,
    CREATE_EXAMPLE,
    INVITATION_EXAMPLE,
    ListQuery,
    UserCreate,
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
    is_active: Annotated[
        QueryBool | None, Query(description="Only active or inactive users.")
    ] = None,
    created_after: Annotated[
        UtcDateTime | None, Query(description="Created strictly after this RFC 3339 time.")
    ] = None,
    created_before: Annotated[
        UtcDateTime | None, Query(description="Created strictly before this RFC 3339 time.")
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


UserListQuery = Annotated[ListQuery, Depends(list_query)]


_MULTIPART_FIELDS = ("username", "email", "password", "name")


def _registration_form_schema() -> dict[str, Any]:
    """The multipart form of `POST /users`: every field `UserCreate` takes from anyone (the
    admin-only ones are JSON-only), as it states them, plus the optional `avatar` file."""
    schema = UserCreate.model_json_schema()
    properties = {}
    for field, spec in schema["properties"].items():
        if field in ADMIN_ONLY_FIELDS:
            continue
        # A form field cannot be null: an optional one is a plain value there, or absent.
        options = [option for option in spec.get("anyOf", [spec]) if option.get("type") != "null"]
        properties[field] = options[0] if "anyOf" in spec else spec
    properties["avatar"] = {"type": "string", "format": "binary", "description": "Optional image."}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [field for field in schema.get("required", []) if field in properties],
        "properties": properties,
    }


CREATE_USER_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/UserCreate"},
                "examples": {
                    "registration": {"summary": "Register (anyone)", "value": CREATE_EXAMPLE},
                    "invitation": {
                        "summary": "Invite: an admin creates a user without a password",
                        "value": INVITATION_EXAMPLE,
                    },
                },
            },
            "multipart/form-data": {
                "schema": _registration_form_schema(),
                "encoding": {"avatar": {"contentType": IMAGE_MEDIA_TYPES}},
            },
        },
    },
    # Registration is open to anonymous callers; a token only matters for admin fields.
    "security": [{}],
}


def _as_request_error(exc: ValidationError) -> RequestValidationError:
    return RequestValidationError(
        [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
    )


async def registration(request: Request) -> tuple[UserCreate, bytes | None]:
    """Parse `POST /users`: a JSON body, or multipart fields plus an optional `avatar` file."""
    declared = media_type(request.headers.get("content-type"))
    if declared in JSON_MEDIA_TYPES:
        try:  # the same decoder as every other JSON route (see `service.http.routing`)
            body = await request.json()
        except json.JSONDecodeError:
            raise MalformedJson from None
        try:
            return UserCreate.model_validate(body), None
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
