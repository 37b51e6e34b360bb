"""Changing a password: the users domain stores the hash, the auth domain ends sessions."""

from __future__ import annotations

import structlog

from service.accounts.login import revoke_sessions
from service.auth.errors import WrongCurrentPassword
from service.auth.security import PasswordHasher
from service.users.models import User
from service.users.service import UserService

log = structlog.get_logger(__name__)


async def change_password(
    users: UserService,
    user: User,
    current: str,
    new: str,
    *,
    session_id: str,
    hasher: PasswordHasher,
) -> None:
    """Set a new password after checking the current one; other sessions end.

    The caller's own session survives: its refresh token still works and yields an access
    token under the new token version.
    """
    if not await hasher.verify(current, user.password_hash):
        log.info("auth.password_change_failed", user_id=str(user.id))
        raise WrongCurrentPassword
    new_hash = await hasher.hash(new)
    # Conditional on the hash just verified: of two changes sent with the same current
    # password, one wins and the other finds the password already changed.
    if not await users.set_password_hash(user, user.password_hash, new_hash):
        log.info("auth.password_change_failed", user_id=str(user.id), reason="changed_meanwhile")
        raise WrongCurrentPassword
    await revoke_sessions(users, user, keep_family=session_id)
    log.info("auth.password_changed", user_id=str(user.id))
