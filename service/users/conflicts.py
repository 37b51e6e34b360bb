"""Which unique field a refused write clashed on: username (or a look-alike) or email."""

from __future__ import annotations

import re

from beanie import PydanticObjectId
from pymongo.errors import DuplicateKeyError, OperationFailure

from service.users.errors import EmailTaken, UsernameTaken
from service.users.models import User
from service.users.usernames import username_skeleton

# FerretDB reports a unique-index clash on update as InternalError naming its SQLite index.
_FERRETDB_UNIQUE = re.compile(
    r"UNIQUE constraint failed: index '\S*_(username_skeleton|username|email)_1'"
)


def is_unique_violation(exc: OperationFailure) -> bool:
    """Whether a unique index refused the write (MongoDB and FerretDB say it differently)."""
    return isinstance(exc, DuplicateKeyError) or "UNIQUE constraint failed" in str(exc)


def taken_username_filter(username: str) -> dict[str, object]:
    """Matches the username itself or one that looks like it (`usernames.username_skeleton`)."""
    return {"$or": [{"username": username}, {"username_skeleton": username_skeleton(username)}]}


async def duplicate_field(
    exc: OperationFailure, username: str | None, user_id: PydanticObjectId | None
) -> UsernameTaken | EmailTaken:
    """Name the unique field that clashed; the unique index already refused the write."""
    pattern = (exc.details or {}).get("keyPattern") or {}
    ferretdb = _FERRETDB_UNIQUE.search(str(exc))
    field = next(iter(pattern), None) or (ferretdb.group(1) if ferretdb else None)
    if field == "email":
        return EmailTaken()
    if field in ("username", "username_skeleton"):
        return UsernameTaken()
    # FerretDB's insert error does not say which index refused it: find who holds the name
    # or one that looks like it.
    if username is not None:
        holder = await User.find_one({**taken_username_filter(username), "_id": {"$ne": user_id}})
        if holder is not None:
            return UsernameTaken()
    return EmailTaken()
