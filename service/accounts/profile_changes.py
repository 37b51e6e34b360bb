"""Changing a user's fields (PUT or PATCH) with the security-relevant changes audited:
role, active flag and email address, each with its old and new value and its actor."""

from __future__ import annotations

from enum import Enum

from service.audit.models import AuditEvent, AuditEventType
from service.audit.trail import Audit
from service.core.errors import ServiceError
from service.users.changes import client_changes
from service.users.models import User
from service.users.schemas import UserReplace, UserUpdate
from service.users.service import UserService

AUDITED_FIELDS = {
    "role": AuditEventType.ROLE_CHANGED,
    "is_active": AuditEventType.ACTIVE_CHANGED,
    "email": AuditEventType.EMAIL_CHANGED,
}


def _plain(value: object) -> str | bool | None:
    if isinstance(value, Enum):
        return str(value.value)
    return value if value is None or isinstance(value, bool) else str(value)


async def update_user(
    caller: User | None,
    user: User,
    body: UserUpdate | UserReplace,
    users: UserService,
    audit: Audit,
    *,
    expected_version: int | None,
) -> User:
    """Apply a PUT or PATCH body to `user` for `caller` (the user, an admin, or None for
    the service's own command line).

    Each audited change is recorded before the write; if the write is then refused (a
    stale `If-Match`, a taken address, a user deleted meanwhile) its events are withdrawn.
    """
    changes = client_changes(body)
    events: list[AuditEvent] = []
    try:
        for field, event_type in AUDITED_FIELDS.items():
            old, new = _plain(getattr(user, field)), _plain(changes.get(field))
            if field in changes and new != old:
                event, _ = await audit.record(
                    event_type,
                    user_id=user.id,
                    actor_id=caller.id if caller else None,
                    detail={"old": old, "new": new},
                )
                events.append(event)
        return await users.update_user(user, body, expected_version=expected_version)
    except ServiceError:
        for event in events:
            await audit.withdraw(event)
        raise
