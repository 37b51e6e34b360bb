"""Turning a TOTP second factor on: enrol (password), confirm with a first code (the ten
recovery codes, shown once), and what the user may see of it afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog
from prometheus_client import Counter

from service.accounts.factor_attempts import attempt
from service.accounts.factor_checks import open_secret
from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.auth.errors import WrongCurrentPassword
from service.auth.security import PasswordHasher
from service.auth.service import Client, LoginPolicy
from service.core.clock import utc_now
from service.second_factor import factors, recovery, totp
from service.second_factor.errors import NoPendingEnrolment, WrongCode
from service.second_factor.models import FactorState
from service.second_factor.policy import RECOVERY_CODE_COUNT, SecondFactorPolicy
from service.users.models import User

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Guard:
    """What checks a signed-in change of the factor (the hasher, the throttle, the keys)
    and the trail that records it, bound to the request's client."""

    hasher: PasswordHasher
    policy: LoginPolicy
    factor_policy: SecondFactorPolicy
    outcomes: Counter
    client: Client
    audit: Audit


@dataclass(frozen=True)
class Enrolment:
    """A started enrolment: the secret, shown this once, in the forms apps import."""

    secret: str
    otpauth_uri: str
    qr_svg: str
    expires_at: datetime


@dataclass(frozen=True)
class FactorStatus:
    """What the user sees of their factor: never the secret."""

    state: FactorState | None
    confirmed_at: datetime | None
    recovery_codes_left: int


async def enrol(user: User, password: str, guard: Guard) -> Enrolment:
    """Start (or restart) an enrolment; the password proves the caller is the owner, so a
    stolen access token cannot put a factor the owner does not hold on the account."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    async with attempt(
        str(user.id), guard.client.address or "", guard.policy, guard.factor_policy.max_failures
    ) as tried:
        if not await guard.hasher.verify(password, user.password_hash):
            await tried.failed()
            log.info("second_factor.enrol_refused", user_id=str(user.id))
            raise WrongCurrentPassword
        await tried.succeeded(forgive=False)
    keys = guard.factor_policy.keys
    secret = totp.new_secret()
    factor = await factors.start_enrolment(
        user.id, keys.seal(secret, str(user.id)), guard.factor_policy.enrolment_ttl
    )
    uri = totp.provisioning_uri(secret, user.username, guard.factor_policy.issuer)
    guard.outcomes.labels("enrolment_started").inc()
    log.info("second_factor.enrolment_started", user_id=str(user.id))
    return Enrolment(secret, uri, totp.qr_svg_data_uri(uri), factor.expires_at or utc_now())


async def confirm(user: User, code: str, guard: Guard) -> list[str]:
    """Confirm the pending enrolment with a first code; return the recovery codes.

    The codes are stored as an inert batch first; the one conditional update that confirms
    the factor also puts them in force, so of two concurrent confirmations one wins and
    the loser's codes are dropped.
    """
    assert user.id is not None  # noqa: S101 - stored users always have an id
    factor = await factors.find(user.id)
    if factor is None or factor.state is not FactorState.PENDING:
        raise NoPendingEnrolment
    keys = guard.factor_policy.keys
    step = totp.matching_step(open_secret(factor, keys), code.strip(), utc_now())
    if step is None:
        guard.outcomes.labels("wrong_code").inc()
        raise WrongCode
    batch, codes = await recovery.issue_batch(user.id, keys, RECOVERY_CODE_COUNT)
    if not await factors.confirm(factor, step, batch):
        await recovery.discard(user.id, batch=batch)
        raise NoPendingEnrolment
    await recovery.discard(user.id, except_batch=batch)
    await guard.audit.record(
        AuditEventType.SECOND_FACTOR_ADDED,
        user_id=user.id,
        actor_id=user.id,
        detail={"method": "totp"},
    )
    guard.outcomes.labels("enabled").inc()
    log.info("second_factor.enabled", user_id=str(user.id))
    return codes


async def status(user: User) -> FactorStatus:
    """The user's factor: none, pending or confirmed, and the recovery codes left."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    factor = await factors.find(user.id)
    if factor is None:
        return FactorStatus(None, None, 0)
    left = await recovery.remaining(user.id, factor.recovery_batch)
    return FactorStatus(factor.state, factor.confirmed_at, left)
