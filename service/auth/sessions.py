"""The sessions a user has open (refresh-token families): list them, end one. No HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from beanie import PydanticObjectId

from service.auth.errors import SessionNotFound
from service.auth.models import RefreshToken
from service.core.clock import utc_now

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Session:
    """One open session of a user: a login and the refresh tokens rotated from it."""

    id: str
    started_at: datetime
    last_used_at: datetime
    expires_at: datetime
    client_ip: str | None
    user_agent: str | None


def _session(doc: Mapping[str, Any]) -> Session:
    # The family's latest token, read without its hash: typed here, at the boundary.
    return Session(
        id=doc["family_id"],
        started_at=doc.get("session_started_at") or doc["created_at"],
        last_used_at=doc["created_at"],
        expires_at=doc["expires_at"],
        client_ip=doc.get("client_ip"),
        user_agent=doc.get("user_agent"),
    )


async def list_sessions(user_id: PydanticObjectId) -> list[Session]:
    """The user's active sessions, most recently used first.

    A session is a refresh-token family; exactly its latest token is unused, unrevoked
    and (until it expires) alive, so one indexed query finds one document per session.
    """
    cursor = RefreshToken.get_pymongo_collection().find(
        {"user_id": user_id, "used_at": None, "revoked_at": None, "expires_at": {"$gt": utc_now()}},
        {"token_hash": 0},
    )
    found = [_session(doc) async for doc in cursor]
    found.sort(key=lambda session: session.last_used_at, reverse=True)
    return found


async def is_live(user_id: PydanticObjectId, session_id: str) -> bool:
    """Whether the user has this session open (its latest token unused and unrevoked)."""
    found = await RefreshToken.get_pymongo_collection().find_one(
        {"user_id": user_id, "family_id": session_id, "used_at": None, "revoked_at": None},
        {"_id": 1},
    )
    return found is not None


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
