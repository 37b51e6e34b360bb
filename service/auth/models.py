"""Stored refresh tokens and login-failure counters, both expiring through TTL indexes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from beanie import Document, Indexed, PydanticObjectId
from pydantic import BaseModel, Field
from pymongo import ASCENDING, IndexModel

from service.core.clock import utc_now


class RefreshToken(Document):
    """One refresh token, stored only as its SHA-256. Tokens rotated from one login share
    a `family_id`, which is also the session id carried by access tokens."""

    token_hash: Annotated[str, Indexed(unique=True)]
    user_id: Annotated[PydanticObjectId, Indexed()]
    family_id: Annotated[str, Indexed()]
    # The user's token version when this token was issued. A refresh that was in flight
    # while the sessions were revoked stores a token under the old version, and a token
    # whose version is not the user's current one is refused: revocation cannot be undone
    # by a late rotation.
    token_version: int = 0
    created_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    # What the sessions list shows: when the session (family) began, and the client of
    # the latest login or rotation. The live token's `created_at` is the session's last use.
    session_started_at: datetime | None = None
    client_ip: str | None = None
    user_agent: str | None = None

    class Settings:
        name = "refresh_tokens"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            # MongoDB deletes expired tokens itself; the code also checks `expires_at`, so
            # correctness never waits for the TTL monitor.
            IndexModel([("expires_at", ASCENDING)], name="expires_at_ttl", expireAfterSeconds=0),
        ]


class LoginFailures(Document):
    """Failed logins of one key (a login name and client address pair, or an address)
    within the current window, and the attempts still being checked (`throttle`)."""

    key: Annotated[str, Indexed(unique=True)]
    failures: int = 0
    # Reservations of attempts whose outcome is not known yet: "<lease end ms>:<id>".
    inflight: list[str] = Field(default_factory=list)
    expires_at: datetime

    class Settings:
        name = "login_failures"
        use_state_management = False
        indexes = [  # noqa: RUF012
            IndexModel([("expires_at", ASCENDING)], name="expires_at_ttl", expireAfterSeconds=0),
        ]


class Intent(BaseModel):
    """What redeeming a claimed token is to do: the new password hash, applied only while
    the user's token version is still `from_version` (a later change or logout wins)."""

    password_hash: str
    from_version: int


class AccountToken(Document):
    """A single-use token mailed to a user (email verification, password reset).

    Stored only as its SHA-256; bound to the address it was mailed to, so changing the
    email voids it. `user_id` is None for a request that named nobody: it is stored all
    the same, so known and unknown addresses cost the same work, and it redeems nothing.
    """

    token_hash: Annotated[str, Indexed(unique=True)]
    purpose: str
    user_id: PydanticObjectId | None = None
    email: str
    created_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime
    used_at: datetime | None = None
    # Recorded by the claim that used the token up, so a retry can finish an interrupted
    # redemption; `completed_at` once it was carried out (what follows it happens once).
    intent: Intent | None = None
    completed_at: datetime | None = None

    class Settings:
        name = "account_tokens"
        use_state_management = False
        indexes = [  # noqa: RUF012
            IndexModel([("expires_at", ASCENDING)], name="expires_at_ttl", expireAfterSeconds=0),
            IndexModel([("user_id", ASCENDING), ("purpose", ASCENDING)], name="user_purpose"),
        ]
