"""The second step of a login: after a right password a user with a confirmed factor gets
a challenge, never a session; the challenge and one valid code open the session.

`service.accounts.login` calls `required` and `challenge`; `complete` is the code step.
A passkey login (multi-factor by itself) opens a session without this step.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from prometheus_client import Counter

from service.accounts.factor_attempts import attempt
from service.accounts.factor_checks import Method, spend_code
from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.auth import service as sessions
from service.auth.schemas import TokenPair
from service.auth.security import TokenCodec
from service.auth.service import Client, LoginPolicy
from service.second_factor import challenges, factors, recovery
from service.second_factor.errors import (
    InvalidChallenge,
    InvalidSecondFactorCode,
    SecondFactorRequired,
)
from service.second_factor.policy import CHALLENGE_TTL, SecondFactorPolicy
from service.users import repository
from service.users.models import User

log = structlog.get_logger(__name__)

METHODS = [Method.TOTP.value, Method.RECOVERY_CODE.value]


async def required(user: User) -> bool:
    """Whether a right password is only the first of two steps for this user."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    return await factors.confirmed(user.id) is not None


async def challenge(user: User) -> SecondFactorRequired:
    """Issue a login challenge; the error to raise carries it to the client."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    token = await challenges.issue(user.id, user.token_version)
    log.info("auth.second_factor_challenged", user_id=str(user.id))
    return SecondFactorRequired(token, int(CHALLENGE_TTL.total_seconds()), METHODS)


@dataclass(frozen=True)
class CodeStep:
    """What the code step needs besides the challenge and the code, and the trail that
    records it, bound to the request's client."""

    codec: TokenCodec
    policy: LoginPolicy
    factor_policy: SecondFactorPolicy
    outcomes: Counter
    client: Client
    audit: Audit


async def complete(challenge_token: str, code: str, step: CodeStep) -> TokenPair:
    """Redeem the challenge with a code: the token pair, once.

    Of N concurrent redemptions of one challenge exactly one opens a session: the
    challenge is claimed by one atomic update before the code is checked, and spent or
    given back (one more attempt counted) after. A wrong code counts as a failed login.
    """
    live = await challenges.find_live(challenge_token)
    user = await repository.find_user(live.user_id) if live is not None else None
    factor = await factors.confirmed(user.id) if user is not None and user.id else None
    stale = live is None or user is None or live.token_version != user.token_version
    if stale or user is None or user.id is None or factor is None or not user.is_active:
        step.outcomes.labels("invalid_challenge").inc()
        raise InvalidChallenge
    client_ip = step.client.address or ""
    async with attempt(
        str(user.id), client_ip, step.policy, step.factor_policy.max_failures
    ) as tried:
        claimed = await challenges.claim(challenge_token)
        if claimed is None:  # used, expired or held by a concurrent request meanwhile
            step.outcomes.labels("invalid_challenge").inc()
            raise InvalidChallenge
        try:
            method = await spend_code(factor, code, step.factor_policy.keys)
        except BaseException:
            await challenges.release(claimed)
            raise
        if method is None:
            await challenges.give_back(claimed)
            await tried.failed()
            step.outcomes.labels("wrong_code").inc()
            log.info("auth.second_factor_failed", user_id=str(user.id), client_ip=client_ip)
            await step.audit.record(
                AuditEventType.LOGIN_FAILED,
                user_id=user.id,
                actor_id=user.id,
                detail={"reason": "wrong_second_factor"},
            )
            raise InvalidSecondFactorCode
        await challenges.spend(claimed)
        await tried.succeeded(forgive=True)
    await _record_use(user, method, factor.recovery_batch, step.audit)
    step.outcomes.labels(f"login_{method.value}").inc()
    log.info("auth.login_succeeded", user_id=str(user.id), client_ip=client_ip, method=method)
    return await sessions.issue_tokens(
        user.id, user.token_version, step.codec, step.policy, client=step.client
    )


async def _record_use(user: User, method: Method, batch: str | None, audit: Audit) -> None:
    """The factor's event, then the login's: the user's trail shows both."""
    event = AuditEventType.SECOND_FACTOR_USED
    detail: dict[str, str | int | bool | None] = {"method": method.value}
    if method is Method.RECOVERY_CODE:
        event = AuditEventType.RECOVERY_CODE_USED
        detail = {"remaining": await recovery.remaining(user.id, batch) if user.id else 0}
    await audit.record(event, user_id=user.id, actor_id=user.id, detail=detail)
    await audit.record(
        AuditEventType.LOGIN_SUCCEEDED,
        user_id=user.id,
        actor_id=user.id,
        detail={"second_factor": method.value},
    )
