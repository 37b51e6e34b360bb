"""The read model's JSON (`UserRead`), rendered straight from what the database returned.

Users are validated when they are written, and the read routes return every stored user
as it is: validating each one into a `UserRead` again and serialising it with pydantic
costs about 5 µs per user, which a 50-user page pays 50 times. Here the same fields, in
the same order and the same JSON (ids as hex strings, UTC times with `Z`, the model's
defaults for fields a user stored before them lacks) are taken from the document or the
`User` and written with orjson. The field list is `UserRead`'s own, so a new public
field cannot be forgotten; `tests/users/test_read_json.py` holds the output byte-equal
to pydantic's.
"""

from __future__ import annotations

from typing import Any

import orjson

from service.users.models import User
from service.users.schemas import UserRead

# Each read-model field in order, with what a stored user that lacks it reads as (as the
# model would: its default, or null for a required but nullable field). `id` and
# `avatar_url` are not stored as such: the caller gives them.
_FIELDS: tuple[tuple[str, Any], ...] = tuple(
    (name, None if field.is_required() else field.default)
    for name, field in UserRead.model_fields.items()
)
_OPTIONS = orjson.OPT_UTC_Z


def document_fields(document: dict[str, Any], avatar_url: str | None) -> dict[str, Any]:
    """`UserRead`'s fields of a stored user document (its public projection suffices)."""
    fields: dict[str, Any] = {}
    for name, default in _FIELDS:
        if name == "id":
            fields[name] = str(document["_id"])
        elif name == "avatar_url":
            fields[name] = avatar_url
        else:
            fields[name] = document.get(name, default)
    return fields


def user_fields(user: User, avatar_url: str | None) -> dict[str, Any]:
    """`UserRead`'s fields of a `User`."""
    fields: dict[str, Any] = {}
    for name, _ in _FIELDS:
        if name == "id":
            fields[name] = str(user.id)
        elif name == "avatar_url":
            fields[name] = avatar_url
        else:
            fields[name] = getattr(user, name)
    return fields


def dumps(content: dict[str, Any] | list[dict[str, Any]]) -> bytes:
    """The JSON of one user's fields or of a list of them, as pydantic writes `UserRead`."""
    return orjson.dumps(content, option=_OPTIONS)
