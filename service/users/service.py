"""The one write path of the users collection. No HTTP in here.

`UserService` owns everything a write must keep true: `updated_at` and `version` move on
every visible change, the unique indexes decide duplicates, and this process's cache of
callers forgets a user the moment it changes. One instance per app, built at start-up.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import structlog
from beanie import PydanticObjectId
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

from service.core.clock import utc_now
from service.core.types import PasswordHashing
from service.users import creation, lookup
from service.users.cache import UserCache
from service.users.changes import DerivedFields, client_changes, derived_fields
from service.users.conflicts import duplicate_field, is_unique_violation
from service.users.credentials import CredentialWrites
from service.users.models import AvatarInfo, User
from service.users.schemas import UserCreate, UserReplace, UserUpdate
from service.users.usernames import username_skeleton

log = structlog.get_logger(__name__)


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


class UserService(CredentialWrites):
    """Reads and writes of users; each write evicts the user from the callers cache.

    The writes of passwords, token versions and verification are in `credentials`.
    """

    def __init__(self, callers: UserCache) -> None:
        self.callers = callers

    async def create_user(
        self,
        data: UserCreate,
        hasher: PasswordHashing,
        *,
        user_id: PydanticObjectId | None = None,
    ) -> User:
        """Store a new user; the database's unique indexes decide duplicates, atomically,
        before the password is hashed (`creation`). Without a password the user is stored
        with none usable; without a username, the first free one derived from the email.

        With `user_id` (fixed by an idempotent request), a user already stored under that
        id is the same request landing twice: it is returned instead of refused.
        """
        return await creation.create(data, hasher, user_id)

    async def find_caller(self, user_id: PydanticObjectId) -> User | None:
        """The user, from this process's short-lived cache when fresh (see `cache`)."""
        user = self.callers.get(user_id)
        if user is None:
            user = await lookup.find_user(user_id)
            if user is not None:
                self.callers.put(user)
        return user

    async def _write(
        self,
        user: User,
        changes: dict[str, Any],
        derived: DerivedFields,
        *,
        expected_version: int | None,
    ) -> tuple[dict[str, Any], User]:
        """Apply the changes in one atomic step; return the stored document before and the
        user after. The previous document comes back from the same atomic step, so a caller
        that replaced something (an avatar) knows exactly what it replaced."""
        match: dict[str, Any] = {"_id": user.id}
        if expected_version is not None:
            match["version"] = expected_version
        now = utc_now()
        fields = {**changes, **derived, "updated_at": now}
        try:
            before = await User.get_pymongo_collection().find_one_and_update(
                match,
                {"$set": fields, "$inc": {"version": 1}},
                return_document=ReturnDocument.BEFORE,
            )
        except OperationFailure as exc:
            if not is_unique_violation(exc):
                raise
            raise await duplicate_field(exc, changes.get("username"), user.id) from None
        finally:
            self.callers.forget(user.id)
        if before is None:
            raise await lookup.missing_or_stale(user.id, expected_version)
        after = User.model_validate({**before, **fields, "version": before["version"] + 1})
        return before, after

    async def update_user(
        self, user: User, body: UserUpdate | UserReplace, *, expected_version: int | None
    ) -> User:
        """Apply a PATCH or PUT body to `user`, atomically guarded by `expected_version`.

        A body that changes nothing writes nothing and returns `user` as it is.
        """
        changes = client_changes(body)
        if not changes:
            return user
        _, updated = await self._write(
            user, changes, derived_fields(user, changes), expected_version=expected_version
        )
        log.info("user.updated", user_id=str(user.id), fields=sorted(changes))
        return updated

    async def replace_avatar(
        self, user: User, avatar: AvatarInfo | None
    ) -> tuple[User, AvatarInfo | None]:
        """Point the user at `avatar` (or none); return the user and the avatar it replaced.

        Each replaced avatar is returned to exactly one caller, so concurrent uploads each
        delete only what they displaced and the avatar left standing is the one referenced.
        """
        derived = DerivedFields(avatar=avatar.model_dump() if avatar else None)
        before, updated = await self._write(user, {}, derived, expected_version=None)
        previous = before.get("avatar")
        return updated, AvatarInfo.model_validate(previous) if previous else None

    async def repoint_avatar(self, user: User, old_blob_id: str, new_blob_id: str) -> bool:
        """Move the user's avatar to a copy of the same bytes, if it is still `old_blob_id`.

        The representation does not change (same ETag), so neither does `version`.
        """
        return await self._update_one(
            user.id, {"avatar.blob_id": old_blob_id}, {"$set": {"avatar.blob_id": new_blob_id}}
        )

    async def delete_user(self, user: User, *, expected_version: int | None = None) -> None:
        """Remove the user, atomically guarded by `expected_version` when given."""
        match: dict[str, Any] = {"_id": user.id}
        if expected_version is not None:
            match["version"] = expected_version
        result = await User.get_pymongo_collection().delete_one(match)
        self.callers.forget(user.id)
        if result.deleted_count == 0:
            raise await lookup.missing_or_stale(user.id, expected_version)
        log.info("user.deleted", user_id=str(user.id))
