"""Changing a confirmed second factor: disable it or replace its recovery codes (password
and a code), and an admin's reset for a user who lost both app and codes."""

from __future__ import annotations

import structlog
from beanie import PydanticObjectId
from prometheus_client import Counter

from service.accounts.factor_attempts import attempt
from service.accounts.factor_checks import spend_code
from service.accounts.second_factor_enrolment import Guard
from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.second_factor import challenges, factors, recovery
from service.second_factor.errors import SecondFactorNotEnabled, WrongSecondFactorProof
from service.second_factor.models import SecondFactor
from service.second_factor.policy import RECOVERY_CODE_COUNT
from service.users import repository
from service.users.models import User
from service.users.permissions import require_admin

log = structlog.get_logger(__name__)


async def _prove(user: User, password: str, code: str, guard: Guard) -> SecondFactor:
    """The confirmed factor, once the password and a code (spent) prove the owner.

    Wrong ones count as failed logins; the code is only looked at after the password
    matched, so a wrong password never spends a code.
    """
    assert user.id is not None  # noqa: S101 - stored users always have an id
    factor = await factors.confirmed(user.id)
    if factor is None:
        raise SecondFactorNotEnabled
    async with attempt(
        str(user.id), guard.client.address or "", guard.policy, guard.factor_policy.max_failures
    ) as tried:
        right = await guard.hasher.verify(password, user.password_hash)
        if not right or await spend_code(factor, code, guard.factor_policy.keys) is None:
            await tried.failed()
            guard.outcomes.labels("wrong_code").inc()
            log.info("second_factor.proof_refused", user_id=str(user.id))
            raise WrongSecondFactorProof
        await tried.succeeded(forgive=False)
    return factor


async def _forget(user: User) -> bool:
    """Remove the factor (the one write that matters: codes and challenges of a user
    without a confirmed factor are refused), then the dead codes and challenges."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    removed = await factors.remove(user.id, confirmed_only=False)
    await recovery.discard(user.id)
    await challenges.void_user(user.id)
    return removed


async def disable(user: User, password: str, code: str, guard: Guard) -> None:
    """Turn the second factor off after the password and a current code."""
    await _prove(user, password, code, guard)
    await _forget(user)
    await guard.audit.record(
        AuditEventType.SECOND_FACTOR_REMOVED,
        user_id=user.id,
        actor_id=user.id,
        detail={"method": "totp"},
    )
    guard.outcomes.labels("disabled").inc()
    log.info("second_factor.disabled", user_id=str(user.id))


async def regenerate_codes(user: User, password: str, code: str, guard: Guard) -> list[str]:
    """Replace every recovery code with ten new ones (password and a code first).

    The new batch is stored inert, then put in force by one update; the old codes die
    with that update, so an interruption leaves either the old set or the new one.
    """
    factor = await _prove(user, password, code, guard)
    batch, codes = await recovery.issue_batch(
        factor.user_id, guard.factor_policy.keys, RECOVERY_CODE_COUNT
    )
    if not await factors.switch_recovery_batch(factor, batch):  # disabled meanwhile
        await recovery.discard(factor.user_id, batch=batch)
        raise SecondFactorNotEnabled
    await recovery.discard(factor.user_id, except_batch=batch)
    await guard.audit.record(
        AuditEventType.RECOVERY_CODES_REGENERATED, user_id=user.id, actor_id=user.id
    )
    guard.outcomes.labels("recovery_codes_regenerated").inc()
    log.info("second_factor.recovery_codes_regenerated", user_id=str(user.id))
    return codes


async def admin_reset(
    admin: User, user_id: PydanticObjectId, audit: Audit, outcomes: Counter
) -> None:
    """An admin removes a user's factor (pending or confirmed); audited with the admin.

    The role is checked before the user is looked up, so a non-admin learns no ids.
    """
    require_admin(admin, "Only an admin may reset a user's second factor.")
    user = await repository.get_user(user_id)
    if not await _forget(user):
        raise SecondFactorNotEnabled
    await audit.record(AuditEventType.SECOND_FACTOR_RESET, user_id=user.id, actor_id=admin.id)
    outcomes.labels("reset").inc()
    log.info("second_factor.reset", user_id=str(user.id), actor_id=str(admin.id))
