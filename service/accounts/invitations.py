"""Inviting a user an admin created without a password: a mailed, single-use link to
choose one.

The invitation is a password-reset token (`Purpose.RESET_PASSWORD`) with the longer
`INVITATION_TOKEN_TTL_S` lifetime, so the reset page and `POST /auth/reset-password`
redeem it as they are (`accounts.resets`): single use, the password is stored, the
address counts as confirmed, and a later reset or password change voids it.
"""

from __future__ import annotations

import structlog

from service.accounts.lifecycle import RESET_PASSWORD_PAGE, MailPolicy, link, within_budget
from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.auth import one_time
from service.auth.one_time import Purpose
from service.mail.outbox import Outbox
from service.mail.templates import greeting_name, render
from service.users.models import User

log = structlog.get_logger(__name__)


async def send_invitation(
    user: User,
    admin: User | None,
    client_ip: str,
    outbox: Outbox,
    policy: MailPolicy,
    audit: Audit,
) -> None:
    """Mail `user` a link to choose their first password, within the mail budget, and
    record in the audit trail which admin invited them."""
    token = await one_time.issue(Purpose.RESET_PASSWORD, user.id, user.email, policy.invite_ttl)
    mail = render(
        "invitation",
        user.email,
        name=greeting_name(user.name, user.username),
        email=user.email,
        link=link(policy, RESET_PASSWORD_PAGE, token),
        hours=int(policy.invite_ttl.total_seconds() // 3600),
    )
    sent = await within_budget(mail.kind, mail.to, client_ip, policy)
    if sent:
        outbox.post(mail)
    await audit.record(
        AuditEventType.ACCOUNT_INVITED,
        user_id=user.id,
        actor_id=admin.id if admin else None,
        detail={"mailed": sent},
    )
    log.info("user.invited", user_id=str(user.id), mailed=sent)
