"""The TOTP factor's one write path: enrol, confirm, spend a time step, remove."""

from __future__ import annotations

import uuid
from datetime import timedelta

from beanie import PydanticObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from service.core.clock import utc_now
from service.second_factor.errors import SecondFactorAlreadyEnabled
from service.second_factor.models import FactorState, LoginChallenge, RecoveryCode, SecondFactor


async def find(user_id: PydanticObjectId) -> SecondFactor | None:
    """The user's factor, pending or confirmed (an expired pending one counts as none)."""
    factor = await SecondFactor.find_one(SecondFactor.user_id == user_id)
    if factor is None:
        return None
    # Checked here too: FerretDB has no TTL monitor and MongoDB's runs once a minute.
    if factor.expires_at is not None and factor.expires_at <= utc_now():
        return None
    return factor


async def confirmed(user_id: PydanticObjectId) -> SecondFactor | None:
    """The user's confirmed factor, or None when logins need no second step."""
    return await SecondFactor.find_one(
        SecondFactor.user_id == user_id, SecondFactor.state == FactorState.CONFIRMED
    )


async def start_enrolment(
    user_id: PydanticObjectId, sealed_secret: str, ttl: timedelta
) -> SecondFactor:
    """Store a pending factor with this secret, replacing a pending one.

    One upsert filtered on the pending state: with a confirmed factor in place it collides
    with the unique user id instead, so a confirmed factor is never overwritten.
    """
    now = utc_now()
    try:
        stored = await SecondFactor.get_pymongo_collection().find_one_and_update(
            {"user_id": user_id, "state": FactorState.PENDING.value},
            {
                "$set": {
                    "sealed_secret": sealed_secret,
                    "enrolment_id": uuid.uuid4().hex,
                    "created_at": now,
                    "expires_at": now + ttl,
                    "last_step": -1,
                },
                "$setOnInsert": {"state": FactorState.PENDING.value, "recovery_batch": None},
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
    except DuplicateKeyError:
        raise SecondFactorAlreadyEnabled from None
    factor: SecondFactor = SecondFactor.model_validate(stored)
    return factor


async def confirm(factor: SecondFactor, step: int, recovery_batch: str) -> bool:
    """Make the pending enrolment `factor` confirmed, its first code's step spent and
    `recovery_batch` in force; False if it changed meanwhile (re-enrolled, confirmed,
    expired)."""
    now = utc_now()
    result = await SecondFactor.get_pymongo_collection().update_one(
        {
            "_id": factor.id,
            "state": FactorState.PENDING.value,
            "enrolment_id": factor.enrolment_id,
            "expires_at": {"$gt": now},
        },
        {
            "$set": {
                "state": FactorState.CONFIRMED.value,
                "confirmed_at": now,
                "last_step": step,
                "recovery_batch": recovery_batch,
                "expires_at": None,
            }
        },
    )
    return bool(result.modified_count)


async def spend_step(factor: SecondFactor, step: int) -> bool:
    """Record `step` as used; True for exactly one caller, and only if no later step was
    used before: the guard and the write are one conditional update."""
    result = await SecondFactor.get_pymongo_collection().update_one(
        {"_id": factor.id, "state": FactorState.CONFIRMED.value, "last_step": {"$lt": step}},
        {"$set": {"last_step": step}},
    )
    return bool(result.modified_count)


async def reseal(factor: SecondFactor, sealed_secret: str) -> None:
    """Store the secret sealed under the active key, unless it changed meanwhile."""
    await SecondFactor.get_pymongo_collection().update_one(
        {"_id": factor.id, "sealed_secret": factor.sealed_secret},
        {"$set": {"sealed_secret": sealed_secret}},
    )


async def switch_recovery_batch(factor: SecondFactor, batch: str) -> bool:
    """Put a new batch of recovery codes in force, if the factor is still this one."""
    result = await SecondFactor.get_pymongo_collection().update_one(
        {"_id": factor.id, "state": FactorState.CONFIRMED.value},
        {"$set": {"recovery_batch": batch}},
    )
    return bool(result.modified_count)


async def remove(user_id: PydanticObjectId, *, confirmed_only: bool) -> bool:
    """Delete the user's factor; True if there was one to delete."""
    query: dict[str, object] = {"user_id": user_id}
    if confirmed_only:
        query["state"] = FactorState.CONFIRMED.value
    result = await SecondFactor.get_pymongo_collection().delete_one(query)
    return bool(result.deleted_count)


async def forget_user(user_id: PydanticObjectId) -> None:
    """Delete everything second-factor of a deleted user."""
    for model in (SecondFactor, RecoveryCode, LoginChallenge):
        await model.get_pymongo_collection().delete_many({"user_id": user_id})
