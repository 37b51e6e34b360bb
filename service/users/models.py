"""The `users` collection as a Beanie document, with its indexes declared in code."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from beanie import Document, Indexed
from pydantic import BaseModel, Field
from pymongo import ASCENDING, IndexModel

from service.core.clock import utc_now


class Role(StrEnum):
    """What a user may do: `admin` manages everyone, `user` only themselves."""

    USER = "user"
    ADMIN = "admin"


class AvatarInfo(BaseModel):
    """Where a user's avatar is stored and what it is."""

    blob_id: str
    etag: str
    media_type: str
    size: int
    width: int
    height: int


class User(Document):
    """A stored user. Username and email are kept lower-case, so unique indexes on them
    are case-insensitive uniqueness; the skeleton index extends that to look-alikes."""

    username: Annotated[str, Indexed(unique=True)]
    # The username's look-alike class (`usernames.username_skeleton`): unique, so `adm1n`
    # cannot exist next to `admin`. Sparse because users stored before it existed lack it.
    username_skeleton: Annotated[str | None, Indexed(unique=True, sparse=True)] = None
    email: Annotated[str, Indexed(unique=True)]
    name: str | None = None
    # Lower-cased copy of `name` so a case-insensitive prefix search can use an index.
    name_lower: Annotated[str | None, Indexed()] = None
    password_hash: str
    role: Role = Role.USER
    is_active: bool = True
    # Set when the owner redeemed a verification link mailed to `email`; cleared when the
    # email changes. Users stored before verification existed read as unverified.
    is_verified: bool = False
    avatar: AvatarInfo | None = None
    # Incremented on every change; the ETag derives from it and conditional writes match on it.
    version: int = 1
    # Carried in access tokens; bumping it (logout-all, password change) voids them all.
    token_version: int = 0
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    # Set only on a registration that holds its username and email but has not stored its
    # password hash yet (`service.users.creation`): every read treats it as absent. A claim
    # whose worker died is deleted after this time, by the TTL index (on FerretDB the purge).
    expires_at: datetime | None = None

    class Settings:
        name = "users"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            # Keyset pagination walks (sort key, _id): one compound index per sort key.
            IndexModel([("created_at", ASCENDING), ("_id", ASCENDING)], name="created_at_id"),
            IndexModel([("username", ASCENDING), ("_id", ASCENDING)], name="username_id"),
            # Partial: only claims are in it, so no query for finished users picks it.
            IndexModel(
                [("expires_at", ASCENDING)],
                name="expires_at_ttl",
                expireAfterSeconds=0,
                partialFilterExpression={"expires_at": {"$type": "date"}},
            ),
        ]
