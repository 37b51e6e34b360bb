"""Reads of the users collection: plain finds, each validated once. No HTTP in here."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from beanie import PydanticObjectId
from pymongo import ASCENDING

from service.users.conflicts import taken_username_filter
from service.users.errors import EmailTaken, StaleVersion, UsernameTaken, UserNotFound
from service.users.models import User

# Every read adds this: a registration's claim (`creation`) is not a user until finished.
# A user stored before claims existed lacks `expires_at`, which `None` matches as well.
FINISHED: dict[str, Any] = {"expires_at": None}


async def check_available(username: str | None, email: str) -> None:
    """Refuse a username or email already taken (or claimed), before any costly work is
    done for it; `None`: the username will be derived from what is free.

    A cheap early answer only: the unique indexes still decide at insert time, so two
    registrations racing past this check still end in one 201 and one 409.
    """
    collection = User.get_pymongo_collection()
    if username is not None and await collection.find_one(
        taken_username_filter(username), {"_id": 1}
    ):
        raise UsernameTaken
    if await collection.find_one({"email": email}, {"_id": 1}) is not None:
        raise EmailTaken


async def find_user(user_id: PydanticObjectId) -> User | None:
    """The user with this id, or None.

    A plain `find_one` and one validation: Beanie's `get` costs about 120 µs more CPU
    per call (query building and lazy parsing), and this lookup runs on every request.
    """
    doc = await User.get_pymongo_collection().find_one({"_id": user_id, **FINISHED})
    return None if doc is None else User.model_validate(doc)


async def get_user(user_id: PydanticObjectId) -> User:
    """Return the user with this id or raise `UserNotFound`."""
    user = await find_user(user_id)
    if user is None:
        raise UserNotFound
    return user


async def find_by_username(username: str) -> User | None:
    """The user with this (normalised) username, or None."""
    doc = await User.get_pymongo_collection().find_one({"username": username, **FINISHED})
    return None if doc is None else User.model_validate(doc)


async def find_by_email(email: str) -> User | None:
    """The user with this (lower-case) email, or None."""
    doc = await User.get_pymongo_collection().find_one({"email": email.lower(), **FINISHED})
    return None if doc is None else User.model_validate(doc)


async def find_by_login(name: str) -> User | None:
    """The user a normalised login names: an email if it has an `@`, else a username."""
    return await (find_by_email(name) if "@" in name else find_by_username(name))


async def users_with_avatars() -> AsyncIterator[User]:
    """Every user who has an avatar, in `_id` order."""
    collection = User.get_pymongo_collection()
    async for document in collection.find({"avatar": {"$ne": None}}).sort("_id", ASCENDING):
        yield User.model_validate(document)


async def missing_or_stale(
    user_id: PydanticObjectId | None, expected_version: int | None
) -> StaleVersion | UserNotFound:
    """Why a write guarded by `expected_version` matched nothing."""
    if expected_version is not None and user_id and await find_user(user_id):
        return StaleVersion()
    return UserNotFound()
