"""Ending one session: logging out with its refresh token, or revoking it by id from the
sessions list. Each session's end is one audit event, stored before the session ends."""

from __future__ import annotations

import structlog

from service.audit.models import AuditEventType
from service.audit.trail import Audit, event_key
from service.auth import service as tokens
from service.auth import sessions
from service.auth.errors import SessionNotFound
from service.users.models import User

log = structlog.get_logger(__name__)


async def _record_end(user: User, session_id: str, reason: str, audit: Audit) -> None:
    # A session ends once: its event id is fixed by the session, so a logout racing a
    # revocation of the same session (or a repeated logout) stores one event.
    await audit.record(
        AuditEventType.SESSION_ENDED,
        user_id=user.id,
        actor_id=user.id,
        detail={"reason": reason, "session": session_id},
        event_id=event_key(AuditEventType.SESSION_ENDED, session_id),
    )


async def logout(user: User, refresh_token: str, audit: Audit) -> None:
    """End the session this refresh token belongs to, if it is the caller's and still
    open; anything else ends nothing (and says nothing about whose token it was)."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    session_id = await tokens.session_of(user.id, refresh_token)
    if session_id is not None:
        if await sessions.is_live(user.id, session_id):
            await _record_end(user, session_id, "logout", audit)
        await tokens.revoke_family(session_id)
    log.info("auth.logout", user_id=str(user.id))


async def end_session(user: User, session_id: str, audit: Audit) -> None:
    """Revoke one of the caller's open sessions; `SessionNotFound` if there is no such one.

    Of two requests ending the same session at once, both may pass the check; the event
    is stored once, and the one whose revocation finds nothing left answers 404 as before.
    """
    assert user.id is not None  # noqa: S101 - stored users always have an id
    if not await sessions.is_live(user.id, session_id):
        raise SessionNotFound
    await _record_end(user, session_id, "revoked", audit)
    await sessions.end_session(user.id, session_id)
