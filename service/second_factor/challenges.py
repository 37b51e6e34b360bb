"""Login challenges: issued after a right password, stored hashed, redeemed once."""

from __future__ import annotations

import secrets
from datetime import datetime

from beanie import PydanticObjectId
from pymongo import ReturnDocument

from service.core.clock import utc_now
from service.second_factor.models import LoginChallenge
from service.second_factor.policy import CHALLENGE_TTL, MAX_CHALLENGE_ATTEMPTS
from service.second_factor.sealing import challenge_hash


async def issue(user_id: PydanticObjectId, token_version: int) -> str:
    """Store a new challenge (its hash only) and return it: 256 random bits."""
    challenge = secrets.token_urlsafe(32)
    now = utc_now()
    await LoginChallenge(
        challenge_hash=challenge_hash(challenge),
        user_id=user_id,
        token_version=token_version,
        created_at=now,
        expires_at=now + CHALLENGE_TTL,
    ).insert()
    return challenge


def _live(challenge: str, now: datetime) -> dict[str, object]:
    # Expiry checked here too: FerretDB has no TTL monitor and MongoDB's runs once a minute.
    return {
        "challenge_hash": challenge_hash(challenge),
        "used": False,
        "attempts": {"$lt": MAX_CHALLENGE_ATTEMPTS},
        "expires_at": {"$gt": now},
    }


async def find_live(challenge: str) -> LoginChallenge | None:
    """The challenge if it can still be redeemed (unused, unexpired, attempts left)."""
    stored = await LoginChallenge.get_pymongo_collection().find_one(_live(challenge, utc_now()))
    return None if stored is None else LoginChallenge.model_validate(stored)


async def claim(challenge: str) -> LoginChallenge | None:
    """Hold the challenge while one code is checked; of N concurrent claims one wins.

    A claim is marked with its own time; `settle` then spends it (right code) or gives it
    back with one more attempt counted (wrong code). A claim whose request died is never
    given back: that challenge is lost and its user logs in again.
    """
    now = utc_now()
    stored = await LoginChallenge.get_pymongo_collection().find_one_and_update(
        {**_live(challenge, now), "claimed_at": None},
        {"$set": {"claimed_at": now}},
        return_document=ReturnDocument.AFTER,
    )
    return None if stored is None else LoginChallenge.model_validate(stored)


async def spend(claimed: LoginChallenge) -> None:
    """The code was right: the challenge is used for good."""
    await LoginChallenge.get_pymongo_collection().update_one(
        {"_id": claimed.id, "claimed_at": claimed.claimed_at}, {"$set": {"used": True}}
    )


async def give_back(claimed: LoginChallenge) -> None:
    """The code was wrong: release the claim and count the attempt."""
    await LoginChallenge.get_pymongo_collection().update_one(
        {"_id": claimed.id, "claimed_at": claimed.claimed_at},
        {"$set": {"claimed_at": None}, "$inc": {"attempts": 1}},
    )


async def void_user(user_id: PydanticObjectId) -> None:
    """Delete the user's outstanding challenges (factor removed or reset, user deleted)."""
    await LoginChallenge.get_pymongo_collection().delete_many({"user_id": user_id})


async def release(claimed: LoginChallenge) -> None:
    """The check failed on the server's side: release the claim, counting nothing."""
    await LoginChallenge.get_pymongo_collection().update_one(
        {"_id": claimed.id, "claimed_at": claimed.claimed_at}, {"$set": {"claimed_at": None}}
    )
