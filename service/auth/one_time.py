"""Single-use account tokens: issued hashed, redeemed by one atomic update. No HTTP here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from beanie import PydanticObjectId
from pymongo import ReturnDocument

from service.auth.models import AccountToken, Intent
from service.auth.security import new_refresh_token, refresh_token_digest
from service.core.clock import utc_now
from service.core.types import Query


class Purpose(StrEnum):
    """What a token may be redeemed for; a token of one purpose never redeems another."""

    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a secret


async def issue(
    purpose: Purpose, user_id: PydanticObjectId | None, email: str, ttl: timedelta
) -> str:
    """Store a new token (its hash only) and return the token itself, 256 random bits."""
    token = new_refresh_token()
    await AccountToken(
        token_hash=refresh_token_digest(token),
        purpose=purpose.value,
        user_id=user_id,
        email=email,
        expires_at=utc_now() + ttl,
    ).insert()
    return token


async def redeem(purpose: Purpose, token: str) -> AccountToken | None:
    """Use the token up; return what it was issued for, or None if it is not redeemable.

    One `find_one_and_update` both checks (unused, unexpired — checked here because
    FerretDB has no TTL monitor — of this purpose) and marks it used, so of N concurrent
    redemptions exactly one gets the document.
    """
    now = utc_now()
    stored = await AccountToken.get_pymongo_collection().find_one_and_update(
        {
            "token_hash": refresh_token_digest(token),
            "purpose": purpose.value,
            "used_at": None,
            "expires_at": {"$gt": now},
        },
        {"$set": {"used_at": now}},
        return_document=ReturnDocument.AFTER,
    )
    if stored is None or stored.get("user_id") is None:
        return None
    return _document(stored)


def _document(stored: Mapping[str, Any] | None) -> AccountToken | None:
    # Validated once where it is read: what leaves this module is the document.
    if stored is None:
        return None
    document: AccountToken = AccountToken.model_validate(stored)
    return document


def _live(purpose: Purpose, token: str, now: datetime) -> Query:
    return {
        "token_hash": refresh_token_digest(token),
        "purpose": purpose.value,
        "user_id": {"$ne": None},
        "expires_at": {"$gt": now},
    }


async def find_unused(purpose: Purpose, token: str) -> AccountToken | None:
    """The stored token if it is unused, unexpired and issued to a user; nothing changes."""
    stored = await AccountToken.get_pymongo_collection().find_one(
        {**_live(purpose, token, utc_now()), "used_at": None}
    )
    return _document(stored)


async def claim(purpose: Purpose, token: str, intent: Intent) -> AccountToken | None:
    """Use the token up and record, in the same atomic update, what redeeming it is to do.

    Of N concurrent claims exactly one gets the document. The recorded intent lets a
    retry finish work that a fault interrupted after the claim (`claimed`).
    """
    now = utc_now()
    stored = await AccountToken.get_pymongo_collection().find_one_and_update(
        {**_live(purpose, token, now), "used_at": None},
        {"$set": {"used_at": now, "intent": intent.model_dump()}},
        return_document=ReturnDocument.AFTER,
    )
    return _document(stored)


async def claimed(purpose: Purpose, token: str) -> AccountToken | None:
    """The unexpired token if it was claimed with an intent (finished or not), else None."""
    stored = await AccountToken.get_pymongo_collection().find_one(
        {**_live(purpose, token, utc_now()), "intent": {"$ne": None}}
    )
    return _document(stored)


async def complete(token_id: PydanticObjectId | None) -> bool:
    """Mark the claimed token's intent carried out; True for exactly one caller."""
    result = await AccountToken.get_pymongo_collection().update_one(
        {"_id": token_id, "completed_at": None}, {"$set": {"completed_at": utc_now()}}
    )
    return bool(result.modified_count)


async def void_all(purpose: Purpose, user_id: PydanticObjectId) -> None:
    """Mark every outstanding token of this purpose for the user used (after a redemption)."""
    await AccountToken.get_pymongo_collection().update_many(
        {"user_id": user_id, "purpose": purpose.value, "used_at": None},
        {"$set": {"used_at": utc_now()}},
    )


async def forget_user(user_id: PydanticObjectId) -> None:
    """Delete the tokens of a deleted user."""
    await AccountToken.get_pymongo_collection().delete_many({"user_id": user_id})
