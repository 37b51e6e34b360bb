"""Email verification and password reset: one-time tokens (auth), users, sessions and mail.

Requests for a mail answer the same whatever the address: the same throttle, the same
token generation and the same insert run for known and unknown addresses (a token issued
for nobody is stored and redeems nothing); only the mail itself, sent in the background,
differs, and that never shows in the response or its timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import structlog

from service.accounts.login import revoke_sessions
from service.auth import one_time, throttle
from service.auth.errors import AccountMailThrottled, InvalidAccountToken
from service.auth.one_time import Purpose
from service.auth.security import PasswordHasher
from service.mail.outbox import Outbox
from service.mail.templates import render
from service.users import lookup
from service.users.models import User
from service.users.service import UserService

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class MailPolicy:
    """Token lifetimes, the mail throttle and where links point."""

    base_url: str
    verify_ttl: timedelta
    reset_ttl: timedelta
    max_per_window: int
    window_s: int


def _link(policy: MailPolicy, path: str, token: str) -> str:
    return f"{policy.base_url.rstrip('/')}{path}?{urlencode({'token': token})}"


async def _throttle(email: str, client_ip: str, policy: MailPolicy) -> None:
    key = throttle.mail_key(email, client_ip)
    wait = await throttle.seconds_over_limit(key, policy.max_per_window, policy.window_s)
    if wait is not None:
        raise AccountMailThrottled(wait)


async def send_verification(user: User, outbox: Outbox, policy: MailPolicy) -> None:
    """Mail `user` a fresh verification link for their current address."""
    token = await one_time.issue(Purpose.VERIFY_EMAIL, user.id, user.email, policy.verify_ttl)
    outbox.post(
        render(
            "verify_email",
            user.email,
            name=user.name or user.username,
            email=user.email,
            link=_link(policy, "/auth/verify", token),
            minutes=int(policy.verify_ttl.total_seconds() // 60),
        )
    )


async def request_verification(
    email: str, client_ip: str, outbox: Outbox, policy: MailPolicy
) -> None:
    """Mail a verification link if `email` belongs to an unverified, active user."""
    email = email.lower()
    await _throttle(email, client_ip, policy)
    user = await lookup.find_by_email(email)
    wanted = user is not None and user.is_active and not user.is_verified
    if user is not None and wanted:
        await send_verification(user, outbox, policy)
    else:
        await one_time.issue(Purpose.VERIFY_EMAIL, None, email, policy.verify_ttl)


async def verify(users: UserService, token: str) -> User:
    """Redeem a verification token; the user, now verified. `InvalidAccountToken` otherwise."""
    stored = await one_time.redeem(Purpose.VERIFY_EMAIL, token)
    if stored is None:
        raise InvalidAccountToken
    user = await users.mark_verified(stored["user_id"], stored["email"])
    if user is None:  # the email changed (or the user left) since the link was mailed
        raise InvalidAccountToken
    await one_time.void_all(Purpose.VERIFY_EMAIL, stored["user_id"])
    return user


async def forgot_password(email: str, client_ip: str, outbox: Outbox, policy: MailPolicy) -> None:
    """Mail a reset link if `email` belongs to an active user; the same work either way."""
    email = email.lower()
    await _throttle(email, client_ip, policy)
    user = await lookup.find_by_email(email)
    active = user if user is not None and user.is_active else None
    token = await one_time.issue(
        Purpose.RESET_PASSWORD, active.id if active else None, email, policy.reset_ttl
    )
    mail = render(
        "reset_password",
        email,
        name=(active.name or active.username) if active else "",
        link=_link(policy, "/auth/reset-password", token),
        minutes=int(policy.reset_ttl.total_seconds() // 60),
    )
    if active is not None:
        outbox.post(mail)
    log.info("auth.password_reset_requested", user_id=str(active.id) if active else None)


async def reset_password(
    users: UserService, token: str, new_password: str, hasher: PasswordHasher, outbox: Outbox
) -> None:
    """Redeem a reset token: new password, every session ends, the owner is told by mail."""
    # Hash before redeeming: a token is only used up by a reset that can complete.
    new_hash = await hasher.hash(new_password)
    stored = await one_time.redeem(Purpose.RESET_PASSWORD, token)
    if stored is None:
        raise InvalidAccountToken
    user = await users.reset_password_hash(stored["user_id"], stored["email"], new_hash)
    if user is None:  # the email changed (or the user left) since the link was mailed
        raise InvalidAccountToken
    await one_time.void_all(Purpose.RESET_PASSWORD, stored["user_id"])
    await revoke_sessions(users, user)
    outbox.post(render("password_changed", user.email, name=user.name or user.username))
    log.info("auth.password_reset", user_id=str(user.id))
