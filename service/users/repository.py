"""The one data access of the users collection: typed reads and atomic writes. No HTTP.

Plain PyMongo calls, each result validated once into a `User` (Beanie's `get` costs about
120 µs more CPU per call in query building and lazy parsing, and `find_user` runs on every
authenticated request). What leaves this module is a `User`, an `AvatarInfo` or a count.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from enum import Enum
from typing import Any, NamedTuple

from beanie import PydanticObjectId
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError, OperationFailure

from service.core.types import Query
from service.users.conflicts import duplicate_field, is_unique_violation, taken_username_filter
from service.users.errors import EmailTaken, StaleVersion, UsernameTaken, UserNotFound
from service.users.models import AvatarInfo, User
from service.users.schemas import public_projection
from service.users.usernames import username_skeleton

# Every read adds this: a registration's claim (`creation`) is not a user until finished.
# A user stored before claims existed lacks `expires_at`, which `None` matches as well.
FINISHED: Query = {"expires_at": None}


def _users() -> AsyncCollection[dict[str, Any]]:
    return User.get_pymongo_collection()


def _user(document: dict[str, Any] | None) -> User | None:
    return None if document is None else User.model_validate(document)


async def find_user(user_id: PydanticObjectId) -> User | None:
    """The user with this id, or None."""
    return _user(await _users().find_one({"_id": user_id, **FINISHED}))


async def get_user(user_id: PydanticObjectId) -> User:
    """Return the user with this id or raise `UserNotFound`."""
    user = await find_user(user_id)
    if user is None:
        raise UserNotFound
    return user


async def find_by_username(username: str) -> User | None:
    """The user with this (normalised) username, or None."""
    return _user(await _users().find_one({"username": username, **FINISHED}))


async def find_by_email(email: str) -> User | None:
    """The user with this (lower-case) email, or None."""
    return _user(await _users().find_one({"email": email.lower(), **FINISHED}))


async def find_by_login(name: str) -> User | None:
    """The user a normalised login names: an email if it has an `@`, else a username."""
    return await (find_by_email(name) if "@" in name else find_by_username(name))


async def users_with_avatars() -> AsyncIterator[User]:
    """Every user who has an avatar, in `_id` order."""
    async for document in _users().find({"avatar": {"$ne": None}}).sort("_id", ASCENDING):
        yield User.model_validate(document)


async def check_available(username: str | None, email: str) -> None:
    """Refuse a username or email already taken (or claimed), before any costly work is
    done for it; `None`: the username will be derived from what is free.

    A cheap early answer only: the unique indexes still decide at insert time, so two
    registrations racing past this check still end in one 201 and one 409.
    """
    taken = taken_username_filter(username) if username is not None else None
    if taken is not None and await _users().find_one(taken, {"_id": 1}) is not None:
        raise UsernameTaken
    if await _users().find_one({"email": email}, {"_id": 1}) is not None:
        raise EmailTaken


async def missing_or_stale(
    user_id: PydanticObjectId | None, expected_version: int | None
) -> StaleVersion | UserNotFound:
    """Why a write guarded by `expected_version` matched nothing."""
    if expected_version is not None and user_id and await find_user(user_id):
        return StaleVersion()
    return UserNotFound()


async def insert_user(user: User) -> None:
    """Store a new user; a unique index that refuses it raises `UsernameTaken`/`EmailTaken`."""
    try:
        await user.insert()
    except DuplicateKeyError as exc:
        raise await duplicate_field(exc, user.username, None) from None


class Written(NamedTuple):
    """The user after a write, and the avatar the write replaced (if it had one)."""

    user: User
    replaced_avatar: AvatarInfo | None


async def set_fields(
    user: User, fields: dict[str, object], expected_version: int | None
) -> Written:
    """Set `fields` and move `version` on, in one atomic step guarded by `expected_version`.

    The stored document before the write comes back from the same step, so a caller that
    replaced something (an avatar) knows exactly what it replaced.
    """
    match: dict[str, object] = {"_id": user.id}
    if expected_version is not None:
        match["version"] = expected_version
    try:
        before = await _users().find_one_and_update(
            match, {"$set": fields, "$inc": {"version": 1}}, return_document=ReturnDocument.BEFORE
        )
    except OperationFailure as exc:
        if not is_unique_violation(exc):
            raise
        username = fields.get("username")
        raise await duplicate_field(exc, str(username) if username else None, user.id) from None
    if before is None:
        raise await missing_or_stale(user.id, expected_version)
    after = User.model_validate({**before, **fields, "version": before["version"] + 1})
    previous = before.get("avatar")
    return Written(after, AvatarInfo.model_validate(previous) if previous else None)


async def update_where(user_id: PydanticObjectId | None, match: Query, update: Query) -> bool:
    """Apply `update` to the user if it still matches `match`; tell whether it changed."""
    result = await _users().update_one({"_id": user_id, **match}, update)
    return bool(result.modified_count)


async def find_and_update(
    user_id: PydanticObjectId | None, match: Query, update: Query
) -> User | None:
    """Apply `update` to the user if it still matches `match`; the user after, or None."""
    return _user(
        await _users().find_one_and_update(
            {"_id": user_id, **match}, update, return_document=ReturnDocument.AFTER
        )
    )


async def find_matching(user_id: PydanticObjectId, match: Query) -> User | None:
    """The user, if it matches `match` as well."""
    return _user(await _users().find_one({"_id": user_id, **match}))


async def delete_user(user_id: PydanticObjectId | None, expected_version: int | None) -> None:
    """Remove the user, guarded by `expected_version`; `missing_or_stale` if nothing matched."""
    match: dict[str, object] = {"_id": user_id}
    if expected_version is not None:
        match["version"] = expected_version
    result = await _users().delete_one(match)
    if result.deleted_count == 0:
        raise await missing_or_stale(user_id, expected_version)


class ListedUser(NamedTuple):
    """A user as a list page shows it: the stored public fields (validated when they were
    written; `read_json` renders them as `UserRead`), and its avatar's tag for the avatar
    URL, which depends on the request and is left to the caller."""

    document: dict[str, Any]
    avatar_etag: str | None


# What a list page needs of each user: everything public, nothing secret or internal.
PUBLIC_FIELDS = public_projection()


def _listed(document: dict[str, Any]) -> ListedUser:
    avatar = document.get("avatar")
    return ListedUser(document, avatar["etag"] if avatar else None)


async def find_page(query: Query, order: list[tuple[str, int]], limit: int) -> list[ListedUser]:
    """Up to `limit` users matching `query`, in `order`, with their public fields only.

    The hot list path: raw documents in one `to_list` (not one awaited step per item),
    neither built into Documents nor validated again.
    """
    documents = await _users().find(query, PUBLIC_FIELDS).sort(order).limit(limit).to_list()
    return [_listed(document) for document in documents]


# A read of one user: its public fields and the version its entity tag names.
READ_FIELDS = {**PUBLIC_FIELDS, "version": 1}


async def get_public(user_id: PydanticObjectId) -> ListedUser:
    """The user with this id as a read shows it (not built into a `User`: the hot read
    path renders the stored fields, `read_json`), or `UserNotFound`."""
    document = await _users().find_one({"_id": user_id, **FINISHED}, READ_FIELDS)
    if document is None:
        raise UserNotFound
    return _listed(document)


class SeedOutcome(Enum):
    """What inserting one seed user did."""

    INSERTED = "inserted"
    PRESENT = "present"  # its `_id` is stored already (seeded before)
    TAKEN = "taken"  # a unique index refused it: its name or email belongs to another user


async def insert_seed_user(
    collection: AsyncCollection[dict[str, Any]], document: dict[str, Any]
) -> SeedOutcome:
    """Insert a stored-form user unless its `_id` exists or its name or email is taken.

    Upserting on `_id` with `$setOnInsert` never overwrites a user someone has since
    changed. Takes the collection because seeding runs before any app (and its models) is
    started; it caches no callers, so there is nothing to forget.
    """
    document.setdefault("username_skeleton", username_skeleton(document["username"]))
    try:
        result = await collection.update_one(
            {"_id": document["_id"]}, {"$setOnInsert": document}, upsert=True
        )
    except OperationFailure as exc:
        if not is_unique_violation(exc):
            raise
        return SeedOutcome.TAKEN
    return SeedOutcome.INSERTED if result.upserted_id is not None else SeedOutcome.PRESENT
