"""The one writer of the audit trail: every security event goes through `record`."""

from __future__ import annotations

from datetime import timedelta

import structlog
from beanie import PydanticObjectId

from service.audit.models import AuditClient, AuditEvent, AuditEventType
from service.core.clock import utc_now

log = structlog.get_logger(__name__)

DEFAULT_RETENTION = timedelta(days=365)


async def record(
    event_type: AuditEventType,
    *,
    user_id: PydanticObjectId | None,
    actor_id: PydanticObjectId | None = None,
    client: AuditClient | None = None,
    detail: dict[str, str | int | bool | None] | None = None,
    retention: timedelta = DEFAULT_RETENTION,
) -> AuditEvent:
    """Store one security event (with the request id bound to this request, if any)."""
    now = utc_now()
    context = structlog.contextvars.get_contextvars()
    request_id = context.get("request_id")
    event = AuditEvent(
        type=event_type,
        user_id=user_id,
        actor_id=actor_id,
        at=now,
        address=client.address if client else None,
        user_agent=client.user_agent if client else None,
        request_id=request_id if isinstance(request_id, str) else None,
        detail=detail or {},
        expires_at=now + retention,
    )
    await event.insert()
    log.info(
        "audit.recorded", audit_type=event_type.value, user_id=str(user_id) if user_id else None
    )
    return event
