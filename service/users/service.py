"""Users business logic: async verbs over the Beanie document. No HTTP in here."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import structlog
from beanie import PydanticObjectId
from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError, OperationFailure

from service.auth.security import PasswordHasher
from service.kernel.clock import utc_now
from service.users.cache import CALLERS
from service.users.cursor import Cursor, SortOrder, after_cursor_filter, decode_cursor
from service.users.errors import EmailTaken, StaleVersion, UsernameTaken, UserNotFound
from service.users.models import AvatarInfo, Role, User
from service.users.schemas import ListQuery, UserCreate, public_projection
from service.users.usernames import username_skeleton

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Page:
    """One page of users and the cursor of the next page, if there is one."""

    items: list[dict[str, Any]]
    next_cursor: str | None


# What a list page needs of each user: everything public, nothing secret or internal.
PUBLIC_FIELDS = public_projection()


# FerretDB reports a unique-index clash on update as InternalError naming its SQLite index.
_FERRETDB_UNIQUE = re.compile(
    r"UNIQUE constraint failed: index '\S*_(username_skeleton|username|email)_1'"
)


def _is_unique_violation(exc: OperationFailure) -> bool:
    return isinstance(exc, DuplicateKeyError) or bool(_FERRETDB_UNIQUE.search(str(exc)))


async def _duplicate_field(
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
        holder = await User.find_one(
            {
                "$or": [{"username": username}, {"username_skeleton": username_skeleton(username)}],
                "_id": {"$ne": user_id},
            }
        )
        if holder is not None:
            return UsernameTaken()
    return EmailTaken()


async def check_available(username: str, email: str) -> None:
    """Refuse a username or email already taken, before any costly work is done for it.

    A cheap early answer only: the unique indexes still decide at insert time, so two
    registrations racing past this check still end in one 201 and one 409.
    """
    collection = User.get_pymongo_collection()
    # The username or one that looks like it (see `usernames.username_skeleton`).
    taken = {"$or": [{"username": username}, {"username_skeleton": username_skeleton(username)}]}
    if await collection.find_one(taken, {"_id": 1}) is not None:
        raise UsernameTaken
    if await collection.find_one({"email": email}, {"_id": 1}) is not None:
        raise EmailTaken


async def create_user(
    data: UserCreate, hasher: PasswordHasher, *, user_id: PydanticObjectId | None = None
) -> User:
    """Store a new user; the database's unique indexes decide duplicates, atomically.

    With `user_id` (fixed by an idempotent request), a user already stored under that id
    is the same request landing twice: it is returned instead of refused.
    """
    # Every field the client sent, by name, so a new field needs no line here; then what
    # the server derives or defaults.
    sent = data.model_dump(exclude={"password", "role", "is_active"})
    user = User(
        **sent,
        id=user_id,
        username_skeleton=username_skeleton(data.username),
        name_lower=data.name.lower() if data.name else None,
        password_hash=await hasher.hash(data.password),
        role=data.role or Role.USER,
        is_active=True if data.is_active is None else data.is_active,
    )
    try:
        await user.insert()
    except DuplicateKeyError as exc:
        if user_id is not None and (earlier := await find_user(user_id)) is not None:
            return earlier
        raise await _duplicate_field(exc, user.username, None) from None
    log.info("user.created", user_id=str(user.id))
    return user


async def find_user(user_id: PydanticObjectId) -> User | None:
    """The user with this id, or None.

    A plain `find_one` and one validation: Beanie's `get` costs about 120 µs more CPU per
    call (query building and lazy parsing), and this lookup runs on every request.
    """
    doc = await User.get_pymongo_collection().find_one({"_id": user_id})
    return None if doc is None else User.model_validate(doc)


async def get_user(user_id: PydanticObjectId) -> User:
    """Return the user with this id or raise `UserNotFound`."""
    user = await find_user(user_id)
    if user is None:
        raise UserNotFound
    return user


def _prefix(value: str) -> dict[str, str]:
    # Anchored and escaped, on lower-cased fields, so MongoDB can walk an index.
    return {"$regex": "^" + re.escape(value.lower())}


def build_list_filter(query: ListQuery, cursor: Cursor | None, sort: SortOrder) -> dict[str, Any]:
    """Translate list parameters into one MongoDB filter."""
    clauses: list[dict[str, Any]] = []
    if query.username is not None:
        clauses.append({"username": query.username.lower()})
    if query.email is not None:
        clauses.append({"email": query.email.lower()})
    if query.q:
        prefix = _prefix(query.q)
        clauses.append({"$or": [{"username": prefix}, {"email": prefix}, {"name_lower": prefix}]})
    if query.role is not None:
        clauses.append({"role": query.role.value})
    if query.is_active is not None:
        clauses.append({"is_active": query.is_active})
    if query.created_after is not None:
        clauses.append({"created_at": {"$gt": query.created_after}})
    if query.created_before is not None:
        clauses.append({"created_at": {"$lt": query.created_before}})
    if cursor is not None:
        clauses.append(after_cursor_filter(cursor, sort))
    if not clauses:
        return {}
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


async def list_users(query: ListQuery) -> Page:
    """One page of users matching `query`, in keyset order on (sort key, _id)."""
    sort = SortOrder.parse(query.sort)
    cursor = decode_cursor(query.cursor, sort) if query.cursor else None
    direction = DESCENDING if sort.descending else ASCENDING
    documents = (
        User.get_pymongo_collection()
        .find(build_list_filter(query, cursor, sort), PUBLIC_FIELDS)
        .sort([(sort.field, direction), ("_id", direction)])
        .limit(query.limit + 1)
    )
    # Raw documents, validated once into the read model by the caller: building a full
    # Document per item first costs more than the query for a 50-user page.
    found = await documents.to_list()
    items = found[: query.limit]
    next_cursor = None
    if len(found) > query.limit:
        last = items[-1]
        next_cursor = Cursor(sort.token, last[sort.field], last["_id"]).encode()
    return Page(items=items, next_cursor=next_cursor)


async def _write(
    user: User, changes: dict[str, Any], *, expected_version: int | None
) -> tuple[dict[str, Any], User]:
    """Apply `changes` in one atomic step; return the stored document before and the user after.

    The previous document comes back from the same atomic step, so a caller that replaced
    something (an avatar) knows exactly what it replaced, however writes interleave.
    """
    match: dict[str, Any] = {"_id": user.id}
    if expected_version is not None:
        match["version"] = expected_version
    now = utc_now()
    try:
        before = await User.get_pymongo_collection().find_one_and_update(
            match,
            {"$set": {**changes, "updated_at": now}, "$inc": {"version": 1}},
            return_document=ReturnDocument.BEFORE,
        )
    except OperationFailure as exc:
        if not _is_unique_violation(exc):
            raise
        raise await _duplicate_field(exc, changes.get("username"), user.id) from None
    if before is None:
        raise await _missing_or_stale(user.id, expected_version)
    CALLERS.forget(user.id)
    after = User.model_validate(
        {**before, **changes, "updated_at": now, "version": before["version"] + 1}
    )
    return before, after


async def _missing_or_stale(
    user_id: PydanticObjectId | None, expected_version: int | None
) -> StaleVersion | UserNotFound:
    """Why a write guarded by `expected_version` matched nothing."""
    if expected_version is not None and user_id and await find_user(user_id) is not None:
        return StaleVersion()
    return UserNotFound()


async def update_user(user: User, changes: dict[str, Any], *, expected_version: int | None) -> User:
    """Apply `changes` to `user`, atomically guarded by `expected_version` when given."""
    if "name" in changes:
        changes["name_lower"] = changes["name"].lower() if changes["name"] else None
    if "username" in changes:
        changes["username_skeleton"] = username_skeleton(changes["username"])
    if "email" in changes and changes["email"] != user.email:
        # A new address is unconfirmed; links mailed to the old one stop working too
        # (they are bound to the address they were sent to).
        changes["is_verified"] = False
    _, updated = await _write(user, changes, expected_version=expected_version)
    log.info("user.updated", user_id=str(user.id), fields=sorted(changes))
    return updated


async def replace_avatar(user: User, avatar: AvatarInfo | None) -> tuple[User, AvatarInfo | None]:
    """Point the user at `avatar` (or none); return the user and the avatar it replaced.

    Each replaced avatar is returned to exactly one caller, so concurrent uploads each
    delete only what they displaced and the avatar left standing is the one referenced.
    """
    before, updated = await _write(
        user, {"avatar": avatar.model_dump() if avatar else None}, expected_version=None
    )
    previous = before.get("avatar")
    return updated, AvatarInfo.model_validate(previous) if previous else None


async def repoint_avatar(user: User, old_blob_id: str, new_blob_id: str) -> bool:
    """Move the user's avatar to a copy of the same bytes, if it is still `old_blob_id`.

    The representation does not change (same ETag), so neither does `version`.
    """
    result = await User.get_pymongo_collection().update_one(
        {"_id": user.id, "avatar.blob_id": old_blob_id},
        {"$set": {"avatar.blob_id": new_blob_id}},
    )
    CALLERS.forget(user.id)
    return bool(result.modified_count)


async def users_with_avatars() -> AsyncIterator[User]:
    """Every user who has an avatar, in `_id` order."""
    cursor = User.get_pymongo_collection().find({"avatar": {"$ne": None}}).sort("_id", ASCENDING)
    async for document in cursor:
        yield User.model_validate(document)


async def set_password_hash(user: User, current_hash: str, new_hash: str) -> bool:
    """Store `new_hash` only if the stored hash is still `current_hash`; tell whether it was.

    Conditional on the hash that was checked, so two changes made with the same current
    password cannot both win.
    """
    result = await User.get_pymongo_collection().update_one(
        {"_id": user.id, "password_hash": current_hash},
        {"$set": {"password_hash": new_hash, "updated_at": utc_now()}, "$inc": {"version": 1}},
    )
    CALLERS.forget(user.id)
    return bool(result.modified_count)


async def bump_token_version(user: User) -> int:
    """Void every access and refresh token issued so far; return the new token version."""
    stored = await User.get_pymongo_collection().find_one_and_update(
        {"_id": user.id},
        {"$inc": {"token_version": 1}},
        return_document=ReturnDocument.AFTER,
    )
    CALLERS.forget(user.id)
    if stored is None:
        raise UserNotFound
    return int(stored["token_version"])


async def delete_user(user: User, *, expected_version: int | None = None) -> None:
    """Remove the user, atomically guarded by `expected_version` when given."""
    match: dict[str, Any] = {"_id": user.id}
    if expected_version is not None:
        match["version"] = expected_version
    result = await User.get_pymongo_collection().delete_one(match)
    CALLERS.forget(user.id)
    if result.deleted_count == 0:
        raise await _missing_or_stale(user.id, expected_version)
    log.info("user.deleted", user_id=str(user.id))


async def find_by_email(email: str) -> User | None:
    """The user with this (lower-case) email, or None."""
    doc = await User.get_pymongo_collection().find_one({"email": email.lower()})
    return None if doc is None else User.model_validate(doc)


async def mark_verified(user_id: PydanticObjectId, email: str) -> User | None:
    """Mark the user's email confirmed if it is still `email`; None if it changed meanwhile.

    Conditional on the address the link was mailed to, so a link for an old address can
    never confirm a new one, however the change and the click interleave.
    """
    stored = await User.get_pymongo_collection().find_one_and_update(
        {"_id": user_id, "email": email},
        {"$set": {"is_verified": True, "updated_at": utc_now()}, "$inc": {"version": 1}},
        return_document=ReturnDocument.AFTER,
    )
    CALLERS.forget(user_id)
    if stored is None:
        return None
    log.info("user.verified", user_id=str(user_id))
    verified: User = User.model_validate(stored)
    return verified


async def reset_password_hash(user_id: PydanticObjectId, email: str, new_hash: str) -> User | None:
    """Store `new_hash` after a reset link for `email` was redeemed; None if the email changed.

    Receiving the link proves the owner reads that mailbox, so the address counts as
    confirmed as well.
    """
    stored = await User.get_pymongo_collection().find_one_and_update(
        {"_id": user_id, "email": email},
        {
            "$set": {"password_hash": new_hash, "is_verified": True, "updated_at": utc_now()},
            "$inc": {"version": 1},
        },
        return_document=ReturnDocument.AFTER,
    )
    CALLERS.forget(user_id)
    if stored is None:
        return None
    user: User = User.model_validate(stored)
    return user
