"""The public view of a stored user, with absolute links that depend on the request."""

from __future__ import annotations

from starlette.requests import Request

from service.users.models import User
from service.users.schemas import UserRead


def to_read(user: User, request: Request) -> UserRead:
    """A `UserRead` whose `avatar_url` is absolute and changes with each new image."""
    read = UserRead.model_validate(user)
    if user.avatar is not None:
        url = request.url_for("get_avatar", user_id=str(user.id))
        read.avatar_url = str(url.include_query_params(v=user.avatar.etag))
    return read
