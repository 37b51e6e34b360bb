"""The `audit_events` collection: who did what to whose account, when and from where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from beanie import Document, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from service.core.clock import utc_now


class AuditEventType(StrEnum):
    """Every security event the trail records (dotted like the log events)."""

    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    SECOND_FACTOR_ADDED = "second_factor.added"
    SECOND_FACTOR_USED = "second_factor.used"
    SECOND_FACTOR_REMOVED = "second_factor.removed"
    SECOND_FACTOR_RESET = "second_factor.reset"
    RECOVERY_CODE_USED = "recovery_code.used"
    RECOVERY_CODES_REGENERATED = "recovery_codes.regenerated"
    PASSKEY_ADDED = "passkey.added"
    PASSKEY_REMOVED = "passkey.removed"
    PASSKEY_USED = "passkey.used"
    PASSKEY_DISABLED = "passkey.disabled"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105 - an event name, not a password
    PASSWORD_RESET = "password.reset"  # noqa: S105 - an event name, not a password
    EMAIL_CHANGED = "email.changed"
    EMAIL_VERIFIED = "email.verified"
    ROLE_CHANGED = "role.changed"
    ACTIVE_CHANGED = "active.changed"
    SESSION_ENDED = "session.ended"
    KEY_ROTATED = "key.rotated"
    ACCOUNT_INVITED = "account.invited"  # an admin created it without a password


@dataclass(frozen=True, slots=True)
class AuditClient:
    """Where a request came from, as the trail shows it."""

    address: str | None = None
    user_agent: str | None = None


class AuditEvent(Document):
    """One security event. Written once, never updated; removed only when it expires."""

    type: AuditEventType
    # Whose account the event concerns (None for service-wide events such as key rotation).
    user_id: PydanticObjectId | None = None
    # Who caused it: the user themself, an admin, or None for the service (CLI, expiry).
    actor_id: PydanticObjectId | None = None
    at: datetime = Field(default_factory=utc_now)
    address: str | None = None
    user_agent: str | None = None
    request_id: str | None = None
    # Non-secret particulars: the new role, the passkey's name, the failure's reason.
    detail: dict[str, str | int | bool | None] = Field(default_factory=dict)
    expires_at: datetime

    class Settings:
        name = "audit_events"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            # A user's own trail and the admin filters read newest first by (user, time).
            IndexModel([("user_id", ASCENDING), ("at", DESCENDING)], name="user_at"),
            IndexModel([("type", ASCENDING), ("at", DESCENDING)], name="type_at"),
            IndexModel([("at", DESCENDING)], name="at"),
            IndexModel([("expires_at", ASCENDING)], name="expires_at_ttl", expireAfterSeconds=0),
        ]
