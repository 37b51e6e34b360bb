"""What clients see of the trail: one security event, without internal fields."""

from __future__ import annotations

from datetime import datetime

from beanie import PydanticObjectId
from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from service.audit.models import AuditEventType

EVENT_EXAMPLE: JsonDict = {
    "id": "6744a1f0c2b5e3a1d4f0b001",
    "type": "role.changed",
    "user_id": "6744a1f0c2b5e3a1d4f0a001",
    "actor_id": "6744a1f0c2b5e3a1d4f0a002",
    "at": "2026-12-03T12:00:00.123Z",
    "address": "203.0.113.7",
    "user_agent": "curl/8.5.0",
    "request_id": "5f0c6e1e9a2b4c1d8e7f6a5b4c3d2e1f",
    "detail": {"old": "user", "new": "admin"},
}


class AuditEventRead(BaseModel):
    """One security event: whose account, who caused it, what, when and from where."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": EVENT_EXAMPLE})

    id: PydanticObjectId
    type: AuditEventType
    user_id: PydanticObjectId | None = Field(
        description="Whose account it concerns; null for a failed login naming no account "
        "and for service-wide events (key rotation)."
    )
    actor_id: PydanticObjectId | None = Field(
        description="Who caused it: the user, an admin, or null (someone unknown, the service)."
    )
    at: datetime
    address: str | None = Field(description="The client address of the request.")
    user_agent: str | None
    request_id: str | None = Field(description="The request's `X-Request-ID`, to find its logs.")
    detail: dict[str, str | int | bool | None] = Field(
        title="AuditEventDetail",
        description="Particulars, never secrets: a failure's `reason`, the `old` and `new` "
        "value of a change, the `session` that ended.",
    )
