"""Typed dependencies of the second-factor routes, beside `deps.py` (which holds the rest):
what checks a change of a factor, and what the code step of a login needs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.accounts.second_factor_enrolment import Guard
from service.accounts.second_factor_login import CodeStep
from service.api.deps import (
    AuditDep,
    ClientAddress,
    Codec,
    FactorPolicy,
    Hasher,
    LoginPolicyDep,
    Metrics,
    UserAgent,
)
from service.auth.service import Client


async def factor_guard(
    hasher: Hasher,
    policy: LoginPolicyDep,
    factors: FactorPolicy,
    metrics: Metrics,
    client: ClientAddress,
    audit: AuditDep,
    user_agent: UserAgent = None,
) -> Guard:
    """What checks a change of the caller's second factor (hasher, throttle, keys), and
    the request's trail."""
    return Guard(
        hasher=hasher,
        policy=policy,
        factor_policy=factors,
        outcomes=metrics.second_factor,
        client=Client(address=client, user_agent=user_agent),
        audit=audit,
    )


async def code_step(
    codec: Codec,
    policy: LoginPolicyDep,
    factors: FactorPolicy,
    metrics: Metrics,
    client: ClientAddress,
    audit: AuditDep,
    user_agent: UserAgent = None,
) -> CodeStep:
    """What the second step of a login needs besides the challenge and the code."""
    return CodeStep(
        codec=codec,
        policy=policy,
        factor_policy=factors,
        outcomes=metrics.second_factor,
        client=Client(address=client, user_agent=user_agent),
        audit=audit,
    )


FactorGuard = Annotated[Guard, Depends(factor_guard)]
CodeStepDep = Annotated[CodeStep, Depends(code_step)]
