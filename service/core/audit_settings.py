"""The audit-trail settings: how long security events are kept (docs/security.md)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class AuditSettings(BaseSettings):
    """How long the audit trail keeps each security event."""

    # A year by default: long enough to answer "who changed my role last spring"; the
    # database's TTL index (the purge task on FerretDB) deletes an event once it is older.
    audit_retention_days: int = Field(default=365, ge=1, le=3650)
