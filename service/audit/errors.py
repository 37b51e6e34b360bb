"""What the audit trail raises; `service.http.error_handlers` renders it as problem+json."""

from __future__ import annotations

from service.core.errors import ServiceError


class AuditUnavailable(ServiceError):
    """The security event could not be stored, so the action it records was not taken."""

    status, slug, title = 503, "audit-unavailable", "Service Unavailable"

    def __init__(self) -> None:
        super().__init__(
            "The audit trail could not record this security event, so the action was not "
            "taken; retry later.",
            headers={"Retry-After": "1"},
        )
