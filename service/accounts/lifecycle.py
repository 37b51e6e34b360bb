"""Email verification and reset mails: one-time tokens (auth), users and mail.

Requests for a mail answer the same whatever the address: the same throttle, the same
token generation and the same insert run for known and unknown addresses (a token issued
for nobody is stored and redeems nothing); only the mail itself, sent in the background,
differs, and that never shows in the response or its timing.

Every mail a stranger can cause (registration, a verification request, a reset request,
an email change) draws from the shared mail budget (`service.mail.budget`) first; over
budget it is withheld and the answer stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import structlog
from prometheus_client import Counter

from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.auth import one_time, throttle
from service.auth.errors import AccountMailThrottled, InvalidAccountToken
from service.auth.one_time import Purpose
from service.mail import budget
from service.mail.budget import MailBudget
from service.mail.outbox import Outbox
from service.mail.templates import Mail, greeting_name, render
from service.users import repository
from service.users.models import User
from service.users.service import UserService

log = structlog.get_logger(__name__)

# The pages mailed links open (`service.api.pages`, or an external front end's own):
# a GET shows a form and consumes nothing, so a mail scanner's prefetch uses up no link.
VERIFY_EMAIL_PAGE = "/account/verify-email"
RESET_PASSWORD_PAGE = "/account/reset-password"  # noqa: S105 - a path, not a secret


@dataclass(frozen=True)
class MailPolicy:
    """Token lifetimes, the request throttle, the mail budget and where links point
    (`base_url`: ACCOUNT_LINKS_BASE_URL, else the service's own public URL)."""

    base_url: str
    verify_ttl: timedelta
    reset_ttl: timedelta
    invite_ttl: timedelta
    max_per_window: int
    window_s: int
    budget: MailBudget
    withheld: Counter  # labelled by kind and budget


def link(policy: MailPolicy, path: str, token: str) -> str:
    """The mailed link to page `path` carrying `token`, under the policy's link base."""
    return f"{policy.base_url.rstrip('/')}{path}?{urlencode({'token': token})}"


async def within_budget(kind: str, recipient: str, client_ip: str, policy: MailPolicy) -> bool:
    """Draw one mail of `kind` to `recipient` from the mail budget; False: withhold it."""
    spent = await budget.spent_budget(
        policy.budget, kind=kind, recipient=recipient, client_ip=client_ip
    )
    if spent is not None:
        policy.withheld.labels(kind, spent).inc()
    return spent is None


async def _throttle(email: str, client_ip: str, policy: MailPolicy) -> None:
    key = throttle.mail_key(email, client_ip)
    wait = await throttle.seconds_over_limit(key, policy.max_per_window, policy.window_s)
    if wait is not None:
        raise AccountMailThrottled(wait)


def _verification_mail(user: User, token: str, policy: MailPolicy) -> Mail:
    return render(
        "verify_email",
        user.email,
        name=greeting_name(user.name, user.username),
        email=user.email,
        link=link(policy, VERIFY_EMAIL_PAGE, token),
        minutes=int(policy.verify_ttl.total_seconds() // 60),
    )


async def send_verification(user: User, client_ip: str, outbox: Outbox, policy: MailPolicy) -> None:
    """Mail `user` a fresh verification link for their current address, within budget
    (registration, a verification request, an email change)."""
    token = await one_time.issue(Purpose.VERIFY_EMAIL, user.id, user.email, policy.verify_ttl)
    mail = _verification_mail(user, token, policy)
    if await within_budget(mail.kind, mail.to, client_ip, policy):
        outbox.post(mail)


async def request_verification(
    email: str, client_ip: str, outbox: Outbox, policy: MailPolicy
) -> None:
    """Mail a verification link if `email` belongs to an unverified, active user."""
    email = email.lower()
    await _throttle(email, client_ip, policy)
    user = await repository.find_by_email(email)
    wanted = user is not None and user.is_active and not user.is_verified
    # Drawn for every address, known or not, so the budget shows in no answer's timing.
    allowed = await within_budget("verify_email", email, client_ip, policy)
    token = await one_time.issue(
        Purpose.VERIFY_EMAIL, user.id if user and wanted else None, email, policy.verify_ttl
    )
    if user is not None and wanted and allowed:
        outbox.post(_verification_mail(user, token, policy))


async def verify(users: UserService, token: str, audit: Audit) -> User:
    """Redeem a verification token; the user, now verified. `InvalidAccountToken` otherwise."""
    stored = await one_time.redeem(Purpose.VERIFY_EMAIL, token)
    if stored is None or stored.user_id is None:
        raise InvalidAccountToken
    event, _ = await audit.record(
        AuditEventType.EMAIL_VERIFIED,
        user_id=stored.user_id,
        actor_id=stored.user_id,
        detail={"email": stored.email},
    )
    user = await users.mark_verified(stored.user_id, stored.email)
    if user is None:  # the email changed (or the user left) since the link was mailed
        await audit.withdraw(event)
        raise InvalidAccountToken
    await one_time.void_all(Purpose.VERIFY_EMAIL, stored.user_id)
    return user


async def link_is_live(purpose: Purpose, token: str) -> bool:
    """Whether a mailed link could still be redeemed, using nothing up: unused and
    unexpired, or (a reset) claimed by a reset that a fault interrupted, which the same
    new password finishes."""
    if await one_time.find_unused(purpose, token) is not None:
        return True
    claimed = await one_time.claimed(purpose, token)
    return claimed is not None and claimed.completed_at is None


async def forgot_password(email: str, client_ip: str, outbox: Outbox, policy: MailPolicy) -> None:
    """Mail a reset link if `email` belongs to an active user; the same work either way."""
    email = email.lower()
    await _throttle(email, client_ip, policy)
    user = await repository.find_by_email(email)
    active = user if user is not None and user.is_active else None
    allowed = await within_budget("reset_password", email, client_ip, policy)
    token = await one_time.issue(
        Purpose.RESET_PASSWORD, active.id if active else None, email, policy.reset_ttl
    )
    mail = render(
        "reset_password",
        email,
        name=greeting_name(active.name, active.username) if active else "",
        link=link(policy, RESET_PASSWORD_PAGE, token),
        minutes=int(policy.reset_ttl.total_seconds() // 60),
    )
    if active is not None and allowed:
        outbox.post(mail)
    log.info("auth.password_reset_requested", user_id=str(active.id) if active else None)
