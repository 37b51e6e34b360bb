"""Failures specific to users; `service.api.problems` maps each to its problem document."""

from __future__ import annotations

from typing import ClassVar

from service.core.errors import Conflict, FieldError, Forbidden, NotFound, PreconditionFailed


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
