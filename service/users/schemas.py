"""Request and response bodies of the users API. A Document is never a response model."""

from __future__ import annotations

from datetime import datetime

from beanie import PydanticObjectId
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from pydantic.config import JsonDict

from service.core.timestamps import UtcDateTime
from service.core.types import Password
from service.users.fields import (
    DisplayName,
    Email,
    Username,
    not_nullable,
)
from service.users.models import Role


class _Input(BaseModel):
    # Unknown fields are an error, so nobody can slip in `role`, `password_hash` or `id`.
    model_config = ConfigDict(extra="forbid")


ADMIN_ONLY_FIELDS = frozenset({"role", "is_active"})


class _AdminFields(_Input):
    role: Role | None = Field(
        default=None, description="Admin only.", json_schema_extra=not_nullable
    )
    is_active: StrictBool | None = Field(
        default=None, description="Admin only.", json_schema_extra=not_nullable
    )

    @field_validator("role", "is_active")
    @classmethod
    def _no_null(cls, value: object) -> object:
        # Only runs for members the client sent: these have no "cleared" state.
        if value is None:
            raise ValueError("may not be null")
        return value

    def admin_fields_sent(self) -> set[str]:
        """The admin-only members present in the body."""
        return set(ADMIN_ONLY_FIELDS & self.model_fields_set)


# Request examples (Swagger's "Try it out" sends them as they are): none carries an
# admin-only field, so executing one never changes anybody's role or status.
CREATE_EXAMPLE: JsonDict = {
    "username": "ada.lovelace",
    "email": "ada@example.com",
    "password": "saffron-otter-kettle-61",
    "name": "Ada Lovelace",
}
# An admin's invitation: no password (the user chooses one from the mailed link) and no
# username (derived from the email, `ada`, or the first free one after it).
INVITATION_EXAMPLE: JsonDict = {"name": "Grace Hopper", "email": "grace@example.com"}
REPLACE_EXAMPLE: JsonDict = {
    "username": "ada.lovelace",
    "email": "ada@example.com",
    "name": "Ada King",
}
UPDATE_EXAMPLE: JsonDict = {"name": "Ada King"}


CREATE_RULES = (
    " Anyone registering sends `username` and `password`; an admin may leave out either: "
    "without `username` one is derived from the email (or the name), with a number "
    "appended when taken; without `password` the user is created with none usable and "
    "mailed an invitation link to choose one."
)


class UserCreate(_AdminFields):
    """Registration: the new user's identity and password (`role`/`is_active`: admins)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [CREATE_EXAMPLE, INVITATION_EXAMPLE],
            "description": "A new user." + CREATE_RULES,
        }
    )

    # Optional in the schema, required by the rules above (`missing_credentials`).
    username: Username | None = Field(default=None, json_schema_extra=not_nullable)
    email: Email
    password: Password | None = Field(default=None, json_schema_extra=not_nullable)
    name: DisplayName | None = None

    @field_validator("username", "password")
    @classmethod
    def _credentials_not_null(cls, value: str | None) -> str:
        # Only runs for members the client sent: leaving one out is the way to omit it.
        if value is None:
            raise ValueError("may not be null")
        return value

    def missing_credentials(self) -> list[str]:
        """The members only an admin may leave out that this body leaves out."""
        return [field for field in ("username", "password") if getattr(self, field) is None]


class UserReplace(_AdminFields):
    """PUT body: every mutable field; an omitted `name` clears it. `role` and `is_active`
    (admins only) are kept when omitted."""

    model_config = ConfigDict(json_schema_extra={"examples": [REPLACE_EXAMPLE]})

    username: Username
    email: Email
    name: DisplayName | None = None


class UserUpdate(_AdminFields):
    """PATCH body with JSON merge-patch semantics: absent means keep, `null` clears `name`."""

    model_config = ConfigDict(json_schema_extra={"examples": [UPDATE_EXAMPLE]})

    username: Username | None = Field(default=None, json_schema_extra=not_nullable)
    email: Email | None = Field(default=None, json_schema_extra=not_nullable)
    name: DisplayName | None = None

    @field_validator("username", "email")
    @classmethod
    def _not_null(cls, value: str | None) -> str:
        # Only runs for members the client sent: `null` cannot clear a required field.
        if value is None:
            raise ValueError("may not be null")
        return value


class UserRead(BaseModel):
    """A user as clients see it; secrets and internal fields are not part of it."""

    model_config = ConfigDict(from_attributes=True)

    id: PydanticObjectId = Field(examples=["6744a1f0c2b5e3a1d4f0a001"])
    username: str
    email: str
    name: str | None
    role: Role
    is_active: bool
    is_verified: bool = Field(
        default=False, description="Whether the owner confirmed the email address."
    )
    avatar_url: str | None = Field(default=None, description="Absolute URL of the avatar.")
    created_at: datetime
    updated_at: datetime


# Read-model fields computed from another stored field; `_id` is always returned.
_STORED_AS = {"id": None, "avatar_url": "avatar"}


def public_projection() -> dict[str, int]:
    """The stored fields a `UserRead` is built from: a list query fetches these and no more.

    Derived from `UserRead`, so a new public field is fetched without naming it twice.
    """
    stored = (_STORED_AS.get(name, name) for name in UserRead.model_fields)
    return dict.fromkeys((name for name in stored if name is not None), 1)


class ListQuery(BaseModel):
    """Validated filters, order and page position of `GET /users`."""

    username: str | None = None
    email: str | None = None
    q: str | None = None
    role: Role | None = None
    is_active: bool | None = None
    created_after: UtcDateTime | None = None
    created_before: UtcDateTime | None = None
    sort: str = "-created_at"
    limit: int = 20
    cursor: str | None = None
