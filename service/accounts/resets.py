"""Redeeming a password-reset link: all or nothing, whatever interrupts it.

Three steps, each one atomic and each safe to repeat:

1. claim the token: one update uses it up and records the intent with it (the new
   password's hash, and the user's token version it applies to);
2. carry the intent out: one conditional write stores the hash and bumps the token
   version together, so the new password never works while an old token still does;
3. tidy up: void the user's other reset links, revoke the old refresh tokens (tokens of
   an older version are refused already), mark the intent complete and mail the notice.

Between steps 1 and 2 the `password.reset` audit event is stored (once per link, whatever
the retries), and withdrawn if step 2 is refused: no reset without its event.

A fault after step 1 leaves a recorded intent: the same link with the same new password
finishes it (until the link would have expired). A fault after step 2 leaves the reset
done, and the same retry answers 204 as well. Of N parallel redemptions exactly one
claims the token; the others are refused, unless one repeats the claimer's own reset
(the same password). The write in step 2 is conditional on the token version seen at the
claim, so a repeat never undoes a later password change or logout-all.
"""

from __future__ import annotations

import structlog

from service.audit.models import AuditEventType
from service.audit.trail import Audit, event_key
from service.auth import one_time
from service.auth import service as sessions
from service.auth.errors import InvalidAccountToken
from service.auth.models import AccountToken, Intent
from service.auth.one_time import Purpose
from service.auth.security import PasswordHasher
from service.mail.outbox import Outbox
from service.mail.templates import greeting_name, render
from service.passwords.policy import PasswordPolicy
from service.users import repository
from service.users.service import UserService

log = structlog.get_logger(__name__)


async def _claim(token: str, new_hash: str) -> AccountToken | None:
    """Use the token up, recording the intent to store `new_hash`; None if not redeemable."""
    unused = await one_time.find_unused(Purpose.RESET_PASSWORD, token)
    if unused is None or unused.user_id is None:
        return None
    user = await repository.find_user(unused.user_id)
    if user is None or user.email != unused.email:
        return None  # the email changed (or the user left) since the link was mailed
    intent = Intent(password_hash=new_hash, from_version=user.token_version)
    return await one_time.claim(Purpose.RESET_PASSWORD, token, intent)


async def _resumable(token: str, new_password: str, hasher: PasswordHasher) -> AccountToken | None:
    """The claimed token, if this request repeats the reset it was claimed for (the same
    new password): carrying the intent out again finishes an interrupted reset, and
    changes nothing after a finished one."""
    stored = await one_time.claimed(Purpose.RESET_PASSWORD, token)
    if stored is None or stored.intent is None:
        return None
    if not await hasher.verify(new_password, stored.intent.password_hash):
        return None
    return stored


async def _check_new_password(token: str, new_password: str, passwords: PasswordPolicy) -> None:
    """Hold the new password to the policy, for the user an unused link was mailed to.

    A link already claimed is a repeat of its reset, whose password passed when claimed;
    a link that redeems nothing is refused as such by the claim.
    """
    unused = await one_time.find_unused(Purpose.RESET_PASSWORD, token)
    user = await repository.find_user(unused.user_id) if unused and unused.user_id else None
    if user is not None:
        await passwords.check(
            new_password, username=user.username, email=user.email, field="new_password"
        )


async def reset_password(
    users: UserService,
    token: str,
    new_password: str,
    hasher: PasswordHasher,
    outbox: Outbox,
    audit: Audit,
    passwords: PasswordPolicy,
) -> None:
    """Redeem a reset token: new password, every session ends, the owner is told by mail."""
    await _check_new_password(token, new_password, passwords)
    # Hash before claiming: a token is only used up by a reset that can complete.
    new_hash = await hasher.hash(new_password)
    stored = await _claim(token, new_hash) or await _resumable(token, new_password, hasher)
    if stored is None or stored.intent is None or stored.user_id is None:
        raise InvalidAccountToken
    intent = stored.intent
    # One event per redeemed link, however often an interrupted reset is repeated.
    event, first = await audit.record(
        AuditEventType.PASSWORD_RESET,
        user_id=stored.user_id,
        actor_id=stored.user_id,
        event_id=event_key(AuditEventType.PASSWORD_RESET, str(stored.id)),
    )
    user = await users.reset_password_hash(
        stored.user_id,
        stored.email,
        intent.password_hash,
        from_version=intent.from_version,
    )
    if user is None:
        # The email or the token version moved since the claim: a later change wins.
        if first:
            await audit.withdraw(event)
        await one_time.complete(stored.id)
        raise InvalidAccountToken
    await one_time.void_all(Purpose.RESET_PASSWORD, stored.user_id)
    await sessions.sweep_sessions(user.id, user.token_version)
    if await one_time.complete(stored.id):  # the notice goes out once
        name = greeting_name(user.name, user.username)
        outbox.post(render("password_changed", user.email, name=name))
    log.info("auth.password_reset", user_id=str(user.id))
