"""Ceremony challenges: issued with the options, redeemed once by the response.

The challenge is random (32 bytes) and stored only as its SHA-256; the response carries it
back inside the signed `clientDataJSON`. Redeeming deletes the document in the same
atomic operation that finds it, so of N parallel responses to one challenge exactly one
goes on to verification; an expired challenge is never found.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from beanie import PydanticObjectId

from service.core.clock import utc_now
from service.passkeys.models import CeremonyPurpose, PasskeyChallenge

CHALLENGE_BYTES = 32


def challenge_digest(challenge: bytes) -> str:
    """The stored form of a challenge."""
    return hashlib.sha256(challenge).hexdigest()


async def issue(
    purpose: CeremonyPurpose,
    ttl: timedelta,
    *,
    user_id: PydanticObjectId | None = None,
    any_user: bool = False,
) -> bytes:
    """A fresh challenge for one ceremony, stored (hashed) until `ttl` has passed."""
    challenge = secrets.token_bytes(CHALLENGE_BYTES)
    now = utc_now()
    await PasskeyChallenge(
        challenge_hash=challenge_digest(challenge),
        purpose=purpose,
        user_id=user_id,
        any_user=any_user,
        created_at=now,
        expires_at=now + ttl,
    ).insert()
    return challenge


async def redeem(
    challenge: bytes, purpose: CeremonyPurpose, *, user_id: PydanticObjectId | None = None
) -> PasskeyChallenge | None:
    """Spend the challenge of a `purpose` ceremony (issued to `user_id` when given).

    None when it is unknown, already spent, expired, or issued for something else.
    """
    query: dict[str, object] = {
        "challenge_hash": challenge_digest(challenge),
        "purpose": purpose.value,
        "expires_at": {"$gt": utc_now()},
    }
    if user_id is not None:
        query["user_id"] = user_id
    found = await PasskeyChallenge.get_pymongo_collection().find_one_and_delete(query)
    return None if found is None else PasskeyChallenge.model_validate(found)
