"""Writes of a user's credentials: password hash, token version, verified address.

Each conditional write here is one atomic step on the user's document; callers compose
them into account changes (`service.accounts`) that complete or leave no trace.
"""

from __future__ import annotations

import structlog
from beanie import PydanticObjectId

from service.core.clock import utc_now
from service.core.types import Query
from service.users import repository
from service.users.cache import UserCache
from service.users.errors import UserNotFound
from service.users.models import User

log = structlog.get_logger(__name__)


class CredentialWrites:
    """The credential writes of `UserService`; each evicts the user from the callers cache."""

    callers: UserCache

    async def _update_one(
        self, user_id: PydanticObjectId | None, match: Query, update: Query
    ) -> bool:
        try:
            return await repository.update_where(user_id, match, update)
        finally:
            self.callers.forget(user_id)

    async def _find_and_update(
        self, user_id: PydanticObjectId | None, match: Query, update: Query
    ) -> User | None:
        try:
            return await repository.find_and_update(user_id, match, update)
        finally:
            self.callers.forget(user_id)

    async def set_password_hash(self, user: User, current_hash: str, new_hash: str) -> bool:
        """Re-hash the same password in place (newer parameters): store `new_hash` only if
        the stored hash is still `current_hash`, so a password changed meanwhile is never
        overwritten; tell whether it was. Tokens stay valid: the password did not change.
        A new password goes through `change_password_hash` or `reset_password_hash`."""
        return await self._update_one(
            user.id,
            {"password_hash": current_hash},
            {"$set": {"password_hash": new_hash, "updated_at": utc_now()}, "$inc": {"version": 1}},
        )

    async def bump_token_version(self, user: User) -> int:
        """Void every access and refresh token issued so far; return the new token version."""
        stored = await self._find_and_update(user.id, {}, {"$inc": {"token_version": 1}})
        if stored is None:
            raise UserNotFound
        return stored.token_version

    async def _update_for_email(
        self, user_id: PydanticObjectId, email: str, fields: Query
    ) -> User | None:
        """Set `fields` if the user's email is still `email` (the one a link was mailed to)."""
        return await self._find_and_update(
            user_id,
            {"email": email},
            {"$set": {**fields, "updated_at": utc_now()}, "$inc": {"version": 1}},
        )

    async def mark_verified(self, user_id: PydanticObjectId, email: str) -> User | None:
        """Mark the user's email confirmed if it is still `email`; None if it changed.

        Conditional on the address the link was mailed to, so a link for an old address can
        never confirm a new one, however the change and the click interleave.
        """
        user = await self._update_for_email(user_id, email, {"is_verified": True})
        if user is not None:
            log.info("user.verified", user_id=str(user_id))
        return user

    async def change_password_hash(
        self, user: User, current_hash: str, new_hash: str
    ) -> int | None:
        """Store `new_hash` if the stored hash is still `current_hash`; return the new token
        version, or None if the hash had changed.

        The hash and the token version move in one conditional write: there is no moment
        at which the new password works while a token issued before it is still accepted,
        whatever interrupts the caller after this write.
        """
        stored = await self._find_and_update(
            user.id,
            {"password_hash": current_hash},
            {
                "$set": {"password_hash": new_hash, "updated_at": utc_now()},
                "$inc": {"version": 1, "token_version": 1},
            },
        )
        return None if stored is None else stored.token_version

    async def reset_password_hash(
        self, user_id: PydanticObjectId, email: str, new_hash: str, *, from_version: int
    ) -> User | None:
        """Store `new_hash` after a reset link for `email` was redeemed, with the token
        version moved from `from_version` in the same write; None if the email changed or
        the token version moved since (a later change or logout-all wins).

        Repeating it after it was applied returns the user as it is, so an interrupted
        reset completes on retry. Receiving the link proves the owner reads that mailbox,
        so the address counts as confirmed as well.
        """
        stored = await self._find_and_update(
            user_id,
            {"email": email, "token_version": from_version},
            {
                "$set": {"password_hash": new_hash, "is_verified": True, "updated_at": utc_now()},
                "$inc": {"version": 1, "token_version": 1},
            },
        )
        if stored is None:  # applied already by an attempt whose answer was lost?
            stored = await repository.find_matching(
                user_id,
                {"email": email, "password_hash": new_hash, "token_version": from_version + 1},
            )
        return stored
