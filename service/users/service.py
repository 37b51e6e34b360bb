"""The one write path of the users collection. No HTTP in here.

`UserService` owns everything a write must keep true: `updated_at` and `version` move on
every visible change, fields derived from others (search copies, `is_verified`) never
drift, the unique indexes decide duplicates, and this process's cache of callers forgets a
user the moment it changes. One instance per app, built at start-up. The collection itself
is reached through `users.repository` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

import structlog
from beanie import PydanticObjectId

from service.core.clock import utc_now
from service.core.types import PasswordHashing
from service.users import repository
from service.users.cache import UserCache
from service.users.credentials import CredentialWrites
from service.users.errors import EmailTaken, UsernameTaken
from service.users.models import AvatarInfo, Role, User
from service.users.schemas import ADMIN_ONLY_FIELDS, UserCreate, UserReplace, UserUpdate
from service.users.usernames import username_skeleton

log = structlog.get_logger(__name__)


class DerivedFields(TypedDict, total=False):
    """Fields the service keeps in step with what a client changed, or sets itself."""

    name_lower: str | None
    username_skeleton: str
    is_verified: bool
    avatar: dict[str, object] | None


def client_changes(body: UserUpdate | UserReplace) -> dict[str, object]:
    """The members a PUT or PATCH body really changes, by the model's own field names."""
    if isinstance(body, UserReplace):  # every mutable field; admin-only ones only when sent
        return body.model_dump(exclude=set(ADMIN_ONLY_FIELDS - body.model_fields_set))
    return body.model_dump(exclude_unset=True)  # merge patch: only the members sent


def search_fields(fields: Mapping[str, Any]) -> DerivedFields:
    """The indexed copies of `name` and `username` that searches and look-alike checks use,
    for whichever of the two `fields` holds (a new user's fields, or a change's)."""
    derived = DerivedFields()
    if "name" in fields:
        derived["name_lower"] = fields["name"].lower() if fields["name"] else None
    if "username" in fields:
        derived["username_skeleton"] = username_skeleton(fields["username"])
    return derived


def derived_fields(user: User, changes: Mapping[str, object]) -> DerivedFields:
    """What the service sets beside the client's changes, so derived fields never drift."""
    derived = search_fields(changes)
    if "email" in changes and changes["email"] != user.email:
        # A new address is unconfirmed; links mailed to the old one stop working too
        # (they are bound to the address they were sent to).
        derived["is_verified"] = False
    return derived


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
        """Store a new user; the database's unique indexes decide duplicates, atomically.

        With `user_id` (fixed by an idempotent request), a user already stored under that
        id is the same request landing twice: it is returned instead of refused.
        """
        # Every field the client sent, by name, so a new field needs no line here; then
        # what the server derives or defaults.
        sent = data.model_dump(exclude={"password", "role", "is_active"})
        user = User(
            **sent,
            **search_fields(sent),
            id=user_id,
            password_hash=await hasher.hash(data.password),
            role=data.role or Role.USER,
            is_active=True if data.is_active is None else data.is_active,
        )
        try:
            await repository.insert_user(user)
        except (UsernameTaken, EmailTaken):
            if user_id is not None and (earlier := await repository.find_user(user_id)) is not None:
                return earlier
            raise
        log.info("user.created", user_id=str(user.id))
        return user

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
