"""Failures specific to users; `service.api.problems` maps each to its problem document."""

from __future__ import annotations

from typing import ClassVar

from service.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidParameter,
    NotFound,
    PreconditionFailed,
    Unavailable,
)


class UserNotFound(NotFound):
    """No user has this id."""

    def __init__(self) -> None:
        super().__init__("No user has this id.")


class DuplicateUserField(Conflict):
    """A unique field (username or email) is already taken by another user."""

    field: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__(f"This {self.field} is already taken.")
        self.errors = [FieldError(loc=["body", self.field], msg="already taken", type="duplicate")]


class UsernameTaken(DuplicateUserField):
    """Another user has this username."""

    field = "username"


class EmailTaken(DuplicateUserField):
    """Another user has this email address."""

    field = "email"


class StaleVersion(PreconditionFailed):
    """The client's `If-Match` tag no longer names the current version."""

    def __init__(self) -> None:
        super().__init__("The user changed since the given ETag; fetch it again and retry.")


class NotOwner(Forbidden):
    """Only the user themselves or an admin may do this to a user."""

    def __init__(self) -> None:
        super().__init__("Only this user or an admin may do this.")


class AdminOnly(Forbidden):
    """Only an admin may do this."""


class RegistrationInterrupted(Unavailable):
    """A registration's claim on its username and email was gone before it finished."""

    def __init__(self) -> None:
        super().__init__(
            "The registration was interrupted and nothing was stored; send it again.",
            retry_after_s=1,
        )


class RegistrationIncomplete(InvalidParameter):
    """A registration by anyone but an admin lacks its username or password."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            ["body", missing[0]],
            f"Registration needs {' and '.join(missing)}; only an admin may leave them out "
            "(the user then gets an invitation mail to choose a password).",
            "missing",
        )
        self.errors = [
            FieldError(loc=["body", field], msg="Field required", type="missing")
            for field in missing
        ]
