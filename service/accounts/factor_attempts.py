"""Code checks under the login throttle: a wrong second-factor code counts as a failed login.

Every attempt reserves a place in three counters before any check runs: the (account,
address) pair and the address of `service.auth.throttle`, which password failures share,
and one per account across all addresses for second-factor codes only. Holding the
password is needed to reach a code, so that last counter cannot be filled by a stranger
to lock an owner out, while it bounds guessing spread over many addresses.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import structlog

from service.accounts import login_attempts
from service.auth import throttle
from service.auth.service import LoginPolicy

log = structlog.get_logger(__name__)


def _code_key(user_id: str) -> str:
    return hashlib.sha256(f"second_factor\x00{user_id}".encode()).hexdigest()


@dataclass
class Attempt:
    """The reservations of one attempt, until its outcome settles them."""

    held: list[throttle.Reservation]
    settled: bool = field(default=False)

    async def failed(self) -> None:
        """The client's failure: every counter counts it."""
        self.settled = True
        for reservation in self.held:
            await throttle.fail(reservation)

    async def succeeded(self, *, forgive: bool) -> None:
        """Not a failure; with `forgive`, the pair's failures start afresh (a login)."""
        self.settled = True
        pair, *others = self.held
        await (throttle.forgive(pair) if forgive else throttle.release(pair))
        for reservation in others:
            await throttle.release(reservation)


@asynccontextmanager
async def attempt(
    user_id: str, client_ip: str, policy: LoginPolicy, max_code_failures: int
) -> AsyncIterator[Attempt]:
    """Reserve one attempt on the user's counters (429 `LoginThrottled` when over a limit);
    an attempt the caller did not settle (a server failure) is given back on exit."""
    lease_s = policy.attempt_lease_s
    limits = (
        (throttle.account_key(user_id, client_ip), policy.max_failures),
        (throttle.address_key(client_ip), policy.max_failures_per_address),
        (_code_key(user_id), max_code_failures),
    )
    held: list[throttle.Reservation] = []
    try:
        for key, limit in limits:
            held.append(await throttle.reserve(key, limit, policy.window_s, lease_s))
    except BaseException:
        await login_attempts.give_back(held)
        raise
    current = Attempt(held)
    try:
        yield current
    finally:
        if not current.settled:
            await login_attempts.give_back(held)
