"""The one writer of the audit trail: every security event goes through `Audit.record`,
with the retention and counters built at start-up and the client of the request.

The failure policy (docs/security.md): an event is written *before* the change it records
is made, and the change is made only once its event is stored. A failed audit write
raises `AuditUnavailable` (503) and the caller stops: the action leaves no trace and no
action goes unrecorded. A change refused after its event was written (a lost race, a
stale `If-Match`) withdraws the event again with `Audit.withdraw`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

import structlog
from beanie import PydanticObjectId
from beanie.exceptions import CollectionWasNotInitialized
from pymongo.errors import ConnectionFailure, DuplicateKeyError, PyMongoError

from service.audit.errors import AuditUnavailable
from service.audit.metrics import AuditMetrics
from service.audit.models import AuditClient, AuditEvent, AuditEventType
from service.core.clock import utc_now

log = structlog.get_logger(__name__)

DEFAULT_RETENTION = timedelta(days=365)
# The non-secret particulars of an event: names, reasons, old and new values.
Detail = Mapping[str, str | int | bool | None]


def event_key(*parts: str) -> PydanticObjectId:
    """A fixed id for an event that must be stored once, however often its action is
    repeated or raced (a session ends once; a reset link resets once)."""
    return PydanticObjectId(hashlib.sha256("\x1f".join(parts).encode()).digest()[:12])


def _unavailable(exc: Exception) -> bool:
    # "Not now": a lost connection, a timeout (the request's deadline included), or the
    # models not bound yet because MongoDB was down at start-up.
    if isinstance(exc, CollectionWasNotInitialized | ConnectionFailure):
        return True
    return isinstance(exc, PyMongoError) and exc.timeout


async def _store(event: AuditEvent, metrics: AuditMetrics | None) -> bool:
    """Insert `event`; False if an event with its fixed id is stored already."""
    try:
        await event.insert()
    except DuplicateKeyError:
        return False
    except (PyMongoError, CollectionWasNotInitialized) as exc:
        if metrics is not None:
            metrics.write_failures.labels(type=event.type.value).inc()
        log.warning("audit.write_failed", audit_type=event.type.value, error=type(exc).__name__)
        if _unavailable(exc):
            raise AuditUnavailable from exc
        raise
    if metrics is not None:
        metrics.events.labels(type=event.type.value).inc()
    log.info("audit.recorded", audit_type=event.type.value, user_id=_text(event.user_id))
    return True


def _text(value: PydanticObjectId | None) -> str | None:
    return str(value) if value is not None else None


async def _record(
    event_type: AuditEventType,
    *,
    user_id: PydanticObjectId | None,
    actor_id: PydanticObjectId | None = None,
    client: AuditClient | None = None,
    detail: Detail | None = None,
    retention: timedelta = DEFAULT_RETENTION,
    metrics: AuditMetrics | None = None,
    event_id: PydanticObjectId | None = None,
) -> tuple[AuditEvent, bool]:
    """Store one security event (with the request id bound to this request, if any).

    Returns the event and whether this call stored it: False only for an `event_id`
    that an earlier call stored. Raises `AuditUnavailable` when the database cannot take
    it; the caller must then not make the change the event describes.
    """
    now = utc_now()
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    event = AuditEvent(
        id=event_id,
        type=event_type,
        user_id=user_id,
        actor_id=actor_id,
        at=now,
        address=client.address if client else None,
        user_agent=client.user_agent if client else None,
        request_id=request_id if isinstance(request_id, str) else None,
        detail=dict(detail or {}),
        expires_at=now + retention,
    )
    return event, await _store(event, metrics)


async def _withdraw(event: AuditEvent, metrics: AuditMetrics | None = None) -> None:
    """Remove an event whose change was refused after it was written (it never happened).

    Should the database fail here too, the event stays: the trail may then show an
    attempt that did not complete, never miss a change that did.
    """
    try:
        await AuditEvent.get_pymongo_collection().delete_one({"_id": event.id})
    except (PyMongoError, CollectionWasNotInitialized) as exc:
        log.warning("audit.withdraw_failed", audit_type=event.type.value, error=type(exc).__name__)
        return
    if metrics is not None:
        metrics.withdrawn.labels(type=event.type.value).inc()
    log.info("audit.withdrawn", audit_type=event.type.value, user_id=_text(event.user_id))


@dataclass(frozen=True)
class Audit:
    """The trail as the use cases write to it: the retention and counters built at
    start-up, and the client of the request (none for a CLI command)."""

    retention: timedelta = DEFAULT_RETENTION
    metrics: AuditMetrics | None = None
    client: AuditClient | None = None

    def for_client(self, client: AuditClient) -> Audit:
        """The same trail, recording `client` as where the events come from."""
        return replace(self, client=client)

    async def record(
        self,
        event_type: AuditEventType,
        *,
        user_id: PydanticObjectId | None,
        actor_id: PydanticObjectId | None = None,
        detail: Detail | None = None,
        event_id: PydanticObjectId | None = None,
    ) -> tuple[AuditEvent, bool]:
        """`record` with this trail's retention, counters and client."""
        return await _record(
            event_type,
            user_id=user_id,
            actor_id=actor_id,
            client=self.client,
            detail=detail,
            retention=self.retention,
            metrics=self.metrics,
            event_id=event_id,
        )

    async def withdraw(self, event: AuditEvent) -> None:
        """`withdraw` with this trail's counters."""
        await _withdraw(event, self.metrics)
