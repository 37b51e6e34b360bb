"""Changing a password: one write moves the hash and the token version, then sessions end."""

from __future__ import annotations

import structlog

from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.auth import service as sessions
from service.auth.errors import WrongCurrentPassword
from service.auth.security import PasswordHasher
from service.passwords.policy import PasswordPolicy
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
    audit: Audit,
    passwords: PasswordPolicy,
) -> None:
    """Set a new password after checking the current one; other sessions end.

    All or nothing: the new hash and the bumped token version are stored by one
    conditional write, so once the new password works no access or refresh token issued
    before it is accepted, whatever interrupts the request afterwards. The sweep of the
    stored refresh tokens after it is safe to repeat. The caller's own session survives
    (its live refresh token moves to the new version) unless the request is cut off
    between the write and that move; then the caller logs in again with the new password.
    The `password.changed` audit event is stored before the write and withdrawn if the
    write finds the password changed meanwhile.
    """
    if not await hasher.verify(current, user.password_hash):
        log.info("auth.password_change_failed", user_id=str(user.id))
        raise WrongCurrentPassword
    await passwords.check(new, username=user.username, email=user.email, field="new_password")
    new_hash = await hasher.hash(new)
    event, _ = await audit.record(
        AuditEventType.PASSWORD_CHANGED, user_id=user.id, actor_id=user.id
    )
    # Conditional on the hash just verified: of two changes sent with the same current
    # password, one wins and the other finds the password already changed.
    version = await users.change_password_hash(user, user.password_hash, new_hash)
    if version is None:
        await audit.withdraw(event)
        log.info("auth.password_change_failed", user_id=str(user.id), reason="changed_meanwhile")
        raise WrongCurrentPassword
    await sessions.sweep_sessions(user.id, version, keep_family=session_id)
    log.info("auth.password_changed", user_id=str(user.id))
