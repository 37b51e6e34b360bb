"""Request and response bodies of the users API. A Document is never a response model."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from beanie import PydanticObjectId
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    WithJsonSchema,
    field_validator,
)

from service.users.models import Role

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _check_username(value: str) -> str:
    if not USERNAME_PATTERN.match(value):
        raise ValueError(
            "must be 3-32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
        )
    return value


Username = Annotated[
    str,
    BeforeValidator(_lower),
    AfterValidator(_check_username),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 3,
            "maxLength": 32,
            "pattern": USERNAME_PATTERN.pattern,
            "description": "Stored lower-case.",
            "examples": ["ada.lovelace"],
        }
    ),
]
Email = Annotated[EmailStr, AfterValidator(str.lower), Field(examples=["ada@example.com"])]
DisplayName = Annotated[
    str, BeforeValidator(_strip), Field(min_length=1, max_length=100, examples=["Ada Lovelace"])
]
Password = Annotated[
    str,
    Field(min_length=8, max_length=128, description="8-128 characters; write-only."),
]


class _Input(BaseModel):
    # Unknown fields are an error, so nobody can slip in `role`, `password_hash` or `id`.
    model_config = ConfigDict(extra="forbid")


ADMIN_ONLY_FIELDS = frozenset({"role", "is_active"})


class _AdminFields(_Input):
    role: Role | None = Field(default=None, description="Admin only.")
    is_active: bool | None = Field(default=None, description="Admin only.")

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


class UserCreate(_AdminFields):
    """Registration: the new user's identity and password (`role`/`is_active`: admins)."""

    username: Username
    email: Email
    password: Password
    name: DisplayName | None = None


class UserReplace(_AdminFields):
    """PUT body: every mutable field; an omitted `name` clears it. `role` and `is_active`
    (admins only) are kept when omitted."""

    username: Username
    email: Email
    name: DisplayName | None = None


class UserUpdate(_AdminFields):
    """PATCH body with JSON merge-patch semantics: absent means keep, `null` clears `name`."""

    username: Username | None = None
    email: Email | None = None
    name: DisplayName | None = None

    @field_validator("username", "email")
    @classmethod
    def _not_null(cls, value: str | None) -> str:
        # Only runs for members the client sent: `null` cannot clear a required field.
        if value is None:
            raise ValueError("may not be null")
        return value

    def changes(self) -> dict[str, Any]:
        """Return only the members the client sent."""
        return self.model_dump(exclude_unset=True)


class UserRead(BaseModel):
    """A user as clients see it; secrets and internal fields are not part of it."""

    model_config = ConfigDict(from_attributes=True)

    id: PydanticObjectId = Field(examples=["6744a1f0c2b5e3a1d4f0a001"])
    username: str
    email: str
    name: str | None
    role: Role
    is_active: bool
    avatar_url: str | None = Field(default=None, description="Absolute URL of the avatar.")
    created_at: datetime
    updated_at: datetime


class ListQuery(BaseModel):
    """Validated filters, order and page position of `GET /users`."""

    username: str | None = None
    email: str | None = None
    q: str | None = None
    role: Role | None = None
    is_active: bool | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    sort: str = "-created_at"
    limit: int = 20
    cursor: str | None = None
