"""The public view of a stored user, with absolute links that depend on the request."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from starlette.requests import Request
from starlette.responses import Response

from service.users.models import User
from service.users.schemas import UserRead

_USER_LIST = TypeAdapter(list[UserRead])


def json_response(
    content: UserRead | list[UserRead],
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """Serialise read models straight to JSON bytes.

    Returning a ready `Response` spares the framework from validating the model again
    against `response_model` (which only documents the route) and from a second encoding
    pass: about 20 µs per user on the hottest routes.
    """
    body = (
        content.model_dump_json().encode()
        if isinstance(content, UserRead)
        else _USER_LIST.dump_json(content)
    )
    return Response(body, status_code=status_code, headers=headers, media_type="application/json")


def _avatar_url(request: Request, user_id: object, etag: str) -> str:
    # The image's hash in the URL: a new avatar is a new URL, so caches never serve the old.
    url = request.url_for("get_avatar", user_id=str(user_id))
    return str(url.include_query_params(v=etag))


def document_to_read(doc: dict[str, Any], request: Request) -> UserRead:
    """A `UserRead` straight from a stored document (as listed, secrets not fetched)."""
    read = UserRead.model_validate({**doc, "id": doc["_id"]})
    if avatar := doc.get("avatar"):
        read.avatar_url = _avatar_url(request, doc["_id"], avatar["etag"])
    return read


def to_read(user: User, request: Request) -> UserRead:
    """A `UserRead` whose `avatar_url` is absolute and changes with each new image."""
    read = UserRead.model_validate(user)
    if user.avatar is not None:
        read.avatar_url = _avatar_url(request, user.id, user.avatar.etag)
    return read
