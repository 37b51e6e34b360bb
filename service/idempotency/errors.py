"""Failures of idempotent requests; `service.api.problems` maps each to its problem document."""

from __future__ import annotations

from service.core.errors import Conflict, ServiceError


class IdempotencyKeyReused(ServiceError):
    """The key was first used for a different request; it cannot name this one."""

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was used for a request with different content; "
            "use a new key for a new request."
        )


class IdempotencyInProgress(Conflict):
    """The first request with this key has not answered yet."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            "A request with this Idempotency-Key is still being processed; "
            "retry after Retry-After seconds to get its outcome."
        )
        self.retry_after_s = retry_after_s
