"""Recovery codes: ten per batch, shown once, stored as keyed hashes, each spent once."""

from __future__ import annotations

import re
import secrets
import uuid

from beanie import PydanticObjectId

from service.core.clock import utc_now
from service.second_factor.models import RecoveryCode
from service.second_factor.sealing import Keyring

# Lower-case letters and digits without look-alikes (no i, l, o, u, 0, 1): 30 symbols.
ALPHABET = "abcdefghjkmnpqrstvwxyz23456789"
GROUPS, GROUP_LENGTH = 4, 4  # "xxxx-xxxx-xxxx-xxxx": 16 symbols, about 78.5 bits
RECOVERY_CODE = re.compile(rf"^[{ALPHABET}]{{{GROUPS * GROUP_LENGTH}}}$")


def normalise(code: str) -> str:
    """The canonical form of a typed code: lower-case, spaces and dashes removed."""
    return code.strip().lower().replace("-", "").replace(" ", "")


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


async def issue_batch(
    user_id: PydanticObjectId, keys: Keyring, count: int
) -> tuple[str, list[str]]:
    """Store `count` new codes under a new batch id; return the id and the codes.

    The batch is inert until the factor names it (`factors.confirm` or
    `factors.switch_recovery_batch`), so storing it and switching to it make one change
    that either happens completely or leaves the old codes in force.
    """
    batch = uuid.uuid4().hex
    codes = [_new_code() for _ in range(count)]
    await RecoveryCode.insert_many(
        [
            RecoveryCode(user_id=user_id, batch=batch, code_hash=keys.code_hash(normalise(code)))
            for code in codes
        ]
    )
    return batch, codes


async def spend(user_id: PydanticObjectId, batch: str, code: str, keys: Keyring) -> bool:
    """Use the code up; True for exactly one of any number of concurrent callers."""
    canonical = normalise(code)
    if not RECOVERY_CODE.fullmatch(canonical):
        return False
    result = await RecoveryCode.get_pymongo_collection().update_one(
        {
            "user_id": user_id,
            "batch": batch,
            "code_hash": {"$in": keys.code_hashes(canonical)},
            "used_at": None,
        },
        {"$set": {"used_at": utc_now()}},
    )
    return bool(result.modified_count)


async def remaining(user_id: PydanticObjectId, batch: str | None) -> int:
    """How many codes of the batch in force are still unused."""
    if batch is None:
        return 0
    return await RecoveryCode.find(
        RecoveryCode.user_id == user_id,
        RecoveryCode.batch == batch,
        RecoveryCode.used_at == None,  # noqa: E711
    ).count()


async def discard(
    user_id: PydanticObjectId, *, batch: str | None = None, except_batch: str | None = None
) -> None:
    """Delete the user's codes: all, one `batch`, or all but `except_batch` (dead codes)."""
    query: dict[str, object] = {"user_id": user_id}
    if batch is not None:
        query["batch"] = batch
    elif except_batch is not None:
        query["batch"] = {"$ne": except_batch}
    await RecoveryCode.get_pymongo_collection().delete_many(query)
