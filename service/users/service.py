"""The one write path of the users collection. No HTTP in here.

`UserService` owns everything a write must keep true: `updated_at` and `version` move on
every visible change, fields derived from others (search copies, `is_verified`) never
drift, the unique indexes decide duplicates, and this process's cache of callers forgets a
user the moment it changes. One instance per app, built at start-up. The collection itself
is reached through `users.repository` only.
"""

from __future__ import annotations

from collections.abc import Mapping

import structlog
from beanie import PydanticObjectId

from service.core.clock import utc_now
from service.core.types import PasswordHashing
from service.users import creation, repository
from service.users.cache import UserCache
from service.users.changes import DerivedFields, client_changes, derived_fields
from service.users.credentials import CredentialWrites
from service.users.models import AvatarInfo, User
from service.users.schemas import UserCreate, UserReplace, UserUpdate

log = structlog.get_logger(__name__)


# A write's `$set`: what the client changed and what the service derived from it.
ChangedFields = Mapping[str, object]


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
            user = await repository.find_user(user_id)
            if user is not None:
                self.callers.put(user)
        return user

    async def _write(
        self, user: User, fields: ChangedFields, *, expected_version: int | None
    ) -> repository.Written:
        """Apply the changes in one atomic step, with `updated_at`; forget the cached user."""
        try:
            return await repository.set_fields(
                user, {**fields, "updated_at": utc_now()}, expected_version
            )
        finally:
            self.callers.forget(user.id)

    async def update_user(
        self, user: User, body: UserUpdate | UserReplace, *, expected_version: int | None
    ) -> User:
        """Apply a PATCH or PUT body to `user`, atomically guarded by `expected_version`.

        A body that changes nothing writes nothing and returns `user` as it is.
        """
        changes = client_changes(body)
        if not changes:
            return user
        fields = {**changes, **derived_fields(user, changes)}
        written = await self._write(user, fields, expected_version=expected_version)
        log.info("user.updated", user_id=str(user.id), fields=sorted(changes))
        return written.user

    async def replace_avatar(
        self, user: User, avatar: AvatarInfo | None
    ) -> tuple[User, AvatarInfo | None]:
        """Point the user at `avatar` (or none); return the user and the avatar it replaced.

        Each replaced avatar is returned to exactly one caller, so concurrent uploads each
        delete only what they displaced and the avatar left standing is the one referenced.
        """
        fields = DerivedFields(avatar=avatar.model_dump() if avatar else None)
        return await self._write(user, fields, expected_version=None)

    async def repoint_avatar(self, user: User, old_blob_id: str, new_blob_id: str) -> bool:
        """Move the user's avatar to a copy of the same bytes, if it is still `old_blob_id`.

        The representation does not change (same ETag), so neither does `version`.
        """
        return await self._update_one(
            user.id, {"avatar.blob_id": old_blob_id}, {"$set": {"avatar.blob_id": new_blob_id}}
        )

    async def delete_user(self, user: User, *, expected_version: int | None = None) -> None:
        """Remove the user, atomically guarded by `expected_version` when given."""
        try:
            await repository.delete_user(user.id, expected_version)
        finally:
            self.callers.forget(user.id)
        log.info("user.deleted", user_id=str(user.id))
