"""The sessions a user has open (refresh-token families): list them, end one. No HTTP."""

from __future__ import annotations

from typing import Any

import structlog
from beanie import PydanticObjectId

from service.auth.errors import SessionNotFound
from service.auth.models import RefreshToken
from service.core.clock import utc_now

log = structlog.get_logger(__name__)


async def list_sessions(user_id: PydanticObjectId) -> list[dict[str, Any]]:
    """The user's active sessions, most recently used first.

    A session is a refresh-token family; exactly its latest token is unused, unrevoked
    and (until it expires) alive, so one indexed query finds one document per session.
    """
    cursor = RefreshToken.get_pymongo_collection().find(
        {"user_id": user_id, "used_at": None, "revoked_at": None, "expires_at": {"$gt": utc_now()}},
        {"token_hash": 0},
    )
    found = [dict(doc) async for doc in cursor]
    found.sort(key=lambda doc: doc["created_at"], reverse=True)
    return found


async def end_session(user_id: PydanticObjectId, session_id: str) -> None:
    """Revoke one session of the user; `SessionNotFound` if they have no such live session."""
    result = await RefreshToken.get_pymongo_collection().update_many(
        {"user_id": user_id, "family_id": session_id, "revoked_at": None, "used_at": None},
        {"$set": {"revoked_at": utc_now()}},
    )
    if result.modified_count == 0:
        raise SessionNotFound
    # The family's used tokens too, so a stolen earlier one cannot be replayed into it.
    await RefreshToken.get_pymongo_collection().update_many(
        {"user_id": user_id, "family_id": session_id, "revoked_at": None},
        {"$set": {"revoked_at": utc_now()}},
    )
    log.info("auth.session_ended", user_id=str(user_id), session_id=session_id)
