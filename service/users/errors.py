"""Failures specific to users, each mapped to its problem document by `service.core.errors`."""

from __future__ import annotations

from typing import ClassVar

from service.core.errors import Conflict, Forbidden, NotFound, PreconditionFailed


class UserNotFound(NotFound):
    """No user has this id."""

    slug = "user-not-found"

    def __init__(self) -> None:
        super().__init__("No user has this id.")


class DuplicateUserField(Conflict):
    """A unique field (username or email) is already taken by another user."""

    field: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__(f"This {self.field} is already taken.")
        self.errors = [{"loc": ["body", self.field], "msg": "already taken", "type": "duplicate"}]


class UsernameTaken(DuplicateUserField):
    """Another user has this username."""

    slug = "username-taken"
    field = "username"


class EmailTaken(DuplicateUserField):
    """Another user has this email address."""

    slug = "email-taken"
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

    slug = "admin-only"
