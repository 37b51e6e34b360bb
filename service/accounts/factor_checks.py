"""Checking a code against a user's confirmed factor: a TOTP code or a recovery code, each
accepted once however many requests present it at the same moment."""

from __future__ import annotations

from enum import StrEnum

import structlog

from service.core.clock import utc_now
from service.second_factor import factors, recovery, totp
from service.second_factor.errors import SecondFactorUnavailable
from service.second_factor.models import SecondFactor
from service.second_factor.sealing import Keyring, UnreadableSecret

log = structlog.get_logger(__name__)


class Method(StrEnum):
    """How a second factor was proven."""

    TOTP = "totp"
    RECOVERY_CODE = "recovery_code"


def open_secret(factor: SecondFactor, keys: Keyring) -> str:
    """The factor's TOTP secret; 503 when no configured key opens it."""
    try:
        return keys.open(factor.sealed_secret, str(factor.user_id))
    except UnreadableSecret:
        log.error("second_factor.secret_unreadable", user_id=str(factor.user_id))
        raise SecondFactorUnavailable from None


async def spend_code(factor: SecondFactor, code: str, keys: Keyring) -> Method | None:
    """Use `code` up if it is valid for the factor; how it was proven, or None.

    A TOTP code is valid once: its time step must be newer than the last one used, and
    recording it is one conditional update, so of N concurrent requests presenting the
    same code exactly one gets it. A recovery code is spent by one conditional update too.
    """
    candidate = code.strip()
    if totp.TOTP_CODE.fullmatch(candidate):
        secret = open_secret(factor, keys)
        step = totp.matching_step(secret, candidate, utc_now())
        if step is None:
            return None
        if not await factors.spend_step(factor, step):
            log.info("second_factor.code_replayed", user_id=str(factor.user_id))
            return None
        if keys.needs_reseal(factor.sealed_secret):  # a key rotation: move to the new key
            await factors.reseal(factor, keys.seal(secret, str(factor.user_id)))
        return Method.TOTP
    batch = factor.recovery_batch
    if batch is not None and await recovery.spend(factor.user_id, batch, candidate, keys):
        return Method.RECOVERY_CODE
    return None
