"""One login attempt's places in the login throttle (`service.auth.throttle`), for every
login method (password, passkey, second-factor code): reserve before checking, settle by
the outcome."""

from __future__ import annotations

import asyncio
import contextvars

import structlog

from service.auth import throttle
from service.auth.service import LoginPolicy

log = structlog.get_logger(__name__)


async def reserve(account: str, client_ip: str, policy: LoginPolicy) -> list[throttle.Reservation]:
    """Reserve the attempt on the (account, address) pair, then on the address; raises
    `LoginThrottled` when either is at its limit."""
    lease_s = policy.attempt_lease_s
    pair = await throttle.reserve(
        throttle.account_key(account, client_ip), policy.max_failures, policy.window_s, lease_s
    )
    try:
        address = await throttle.reserve(
            throttle.address_key(client_ip),
            policy.max_failures_per_address,
            policy.window_s,
            lease_s,
        )
    except BaseException:
        await give_back([pair])
        raise
    return [pair, address]


async def failed(held: list[throttle.Reservation]) -> None:
    """The client failed (a wrong credential): every reservation becomes a failure."""
    for reservation in held:
        await throttle.fail(reservation)


async def succeeded(held: list[throttle.Reservation]) -> None:
    """The login succeeded: the pair's failures start afresh, the address's place goes."""
    pair, address = held
    await throttle.forgive(pair)
    await throttle.release(address)


async def give_back(held: list[throttle.Reservation]) -> None:
    """The server failed the attempt (503, cancelled): it must not count.

    Shielded, in an empty context (outside the request's database deadline, which may be
    what cancelled it); should the release fail too, the leases end on their own.
    """

    async def release_all() -> None:
        for reservation in held:
            await throttle.release(reservation)

    task = asyncio.create_task(release_all(), context=contextvars.Context())
    try:
        await asyncio.shield(task)
    except Exception as exc:  # the attempt's own error is the one the caller must see
        log.warning("auth.throttle_release_failed", error_type=type(exc).__name__)
