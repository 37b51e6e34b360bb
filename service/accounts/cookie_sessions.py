"""Ending a browser session by its refresh cookie alone (no access token needed).

Whoever holds a refresh token may already rotate it; revoking its session instead grants
nothing more, so the cookie is credential enough, once the CSRF checks have passed.
"""

from __future__ import annotations

import structlog

from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.auth import service as sessions
from service.auth.session_tokens import find_session_token

log = structlog.get_logger(__name__)


async def end_cookie_session(token: str, audit: Audit) -> None:
    """Revoke the session of this refresh token, whatever state the token is in."""
    known = await find_session_token(token)
    if known is None:
        return  # nothing to end: the answer is the same, the cookie is cleared anyway
    # Recorded first, as every session end is: no session ends without its audit record.
    await audit.record(
        AuditEventType.SESSION_ENDED,
        user_id=known.user_id,
        actor_id=known.user_id,
        detail={"via": "cookie"},
    )
    await sessions.revoke_family(known.family_id)
    log.info("auth.logout", user_id=str(known.user_id), via="cookie")
