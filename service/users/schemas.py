"""Request and response bodies of the users API. A Document is never a response model."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

import email_validator
from beanie import PydanticObjectId
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    WithJsonSchema,
    field_validator,
)
from pydantic.config import JsonDict

from service.kernel.types import Password
from service.timestamps import UtcDateTime
from service.users.models import Role
from service.users.usernames import (
    USERNAME_RULE,
    is_valid_username,
    normalise_username,
)


def _normalise(value: Any) -> Any:
    return normalise_username(value) if isinstance(value, str) else value


def _check_username(value: str) -> str:
    if not is_valid_username(value):
        raise ValueError(USERNAME_RULE)
    return value


# Whitespace as JSON Schema patterns (ECMA-262 `\s`) define it, spelled out: Python's and
# Rust's `\s` (pydantic's `pattern`) each differ from it, and from each other, at the edges
# (U+FEFF, U+0085, U+001C-U+001F), so `\S` would mean three different things.
BLANKS = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
BLANKS += "\u2028\u2029\u202f\u205f\u3000\ufeff"
# "Contains something other than whitespace", read the same by every regex dialect here.
NOT_BLANK = "[^" + "".join(f"\\u{ord(c):04x}" for c in BLANKS) + "]"


def _strip(value: str) -> str:
    return value.strip(BLANKS)


def _not_nullable(schema: JsonDict) -> None:
    # An optional member that may not be null (the `_no_null` validators): the JSON Schema
    # shows neither `null` nor a `default: null`, so clients (and Swagger's generated
    # examples) never send one. Typed `X | None` all the same, so errors point at the field.
    schema.pop("default", None)
    options = schema.pop("anyOf", None)
    if isinstance(options, list):
        kept = [option for option in options if option != {"type": "null"}]
        if len(kept) == 1 and isinstance(kept[0], dict):
            schema.update(kept[0])
        else:
            schema["anyOf"] = kept


Username = Annotated[
    str,
    BeforeValidator(_normalise),
    AfterValidator(_check_username),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 3,
            "maxLength": 32,
            # What is accepted as sent: checked after NFKC normalisation and lower-casing.
            "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$",
            "description": "3-32 characters of a-z, 0-9, '.', '_' or '-', starting with a "
            "letter or digit. NFKC-normalised and lower-cased before it is checked and "
            "stored; a name that looks like an existing one (see README) is refused with 409.",
            "examples": ["ada.lovelace"],
        }
    ),
]


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


# email-validator refuses addresses at special-use domains (`x@host.test`, `x@printer.local`)
# although they are well-formed; the documented pattern says so (ECMA-262, case-insensitive
# by hand), derived from the library's own list so the two cannot drift apart.
_SPECIAL_USE = "|".join(_any_case(name) for name in email_validator.SPECIAL_USE_DOMAIN_NAMES)
EMAIL_JSON_PATTERN = rf"^(?!.*@(?:.*\.)?(?:{_SPECIAL_USE})\.?$)"
Email = Annotated[
    EmailStr,
    AfterValidator(str.lower),
    Field(
        max_length=254,
        examples=["ada@example.com"],
        json_schema_extra={"pattern": EMAIL_JSON_PATTERN},
        description="An email address (RFC 5321 and email-validator's rules, at a domain that "
        "is not special-use such as `.test` or `.local`); stored lower-case.",
    ),
]
# Checked as sent (so the documented bounds are the real ones), then trimmed.
DisplayName = Annotated[
    str,
    Field(min_length=1, max_length=100, pattern=NOT_BLANK, examples=["Ada Lovelace"]),
    AfterValidator(_strip),
]


class _Input(BaseModel):
    # Unknown fields are an error, so nobody can slip in `role`, `password_hash` or `id`.
    model_config = ConfigDict(extra="forbid")


ADMIN_ONLY_FIELDS = frozenset({"role", "is_active"})


class _AdminFields(_Input):
    role: Role | None = Field(
        default=None, description="Admin only.", json_schema_extra=_not_nullable
    )
    is_active: StrictBool | None = Field(
        default=None, description="Admin only.", json_schema_extra=_not_nullable
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
    "password": "correct-horse-battery",
    "name": "Ada Lovelace",
}
REPLACE_EXAMPLE: JsonDict = {
    "username": "ada.lovelace",
    "email": "ada@example.com",
    "name": "Ada King",
}
UPDATE_EXAMPLE: JsonDict = {"name": "Ada King"}


class UserCreate(_AdminFields):
    """Registration: the new user's identity and password (`role`/`is_active`: admins)."""

    model_config = ConfigDict(json_schema_extra={"examples": [CREATE_EXAMPLE]})

    username: Username
    email: Email
    password: Password
    name: DisplayName | None = None


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

    username: Username | None = Field(default=None, json_schema_extra=_not_nullable)
    email: Email | None = Field(default=None, json_schema_extra=_not_nullable)
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
