"""What the audit trail raises; `service.api.problem_table` maps it to its problem."""

from __future__ import annotations

from service.core.errors import Unavailable


class AuditUnavailable(Unavailable):
    """The security event could not be stored, so the action it records was not taken."""

    def __init__(self) -> None:
        super().__init__(
            "The audit trail could not record this security event, so the action was not "
            "taken; retry later.",
            retry_after_s=1,
        )
