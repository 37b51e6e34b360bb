"""The stored documents of second factors: the TOTP factor, recovery codes, login challenges."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from beanie import Document, Indexed, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from service.core.clock import utc_now


class FactorState(StrEnum):
    """An enrolment is pending until a first code confirms the user's app holds the secret."""

    PENDING = "pending"
    CONFIRMED = "confirmed"


class SecondFactor(Document):
    """A user's TOTP factor: one per user (unique), the secret sealed with SECOND_FACTOR_KEY."""

    user_id: Annotated[PydanticObjectId, Indexed(unique=True)]
    state: FactorState = FactorState.PENDING
    # "v1.<key id>.<base64 nonce+ciphertext>": AES-256-GCM bound to the user id.
    sealed_secret: str
    # Changes with every (re-)enrolment, so a confirmation checks the secret it verified.
    enrolment_id: str
    created_at: datetime = Field(default_factory=utc_now)
    confirmed_at: datetime | None = None
    # The newest RFC 6238 time step accepted: a code of this step or an older one is refused.
    last_step: int = -1
    # The batch of recovery codes in force; codes of any other batch are dead.
    recovery_batch: str | None = None
    # Pending enrolments expire (TTL); a confirmed factor has none and never does.
    expires_at: datetime | None = None

    class Settings:
        name = "second_factors"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            IndexModel([("expires_at", ASCENDING)], name="expires_at_ttl", expireAfterSeconds=0),
        ]


class RecoveryCode(Document):
    """One single-use recovery code, stored as a keyed hash only."""

    user_id: PydanticObjectId
    batch: str
    code_hash: Annotated[str, Indexed(unique=True)]
    used_at: datetime | None = None

    class Settings:
        name = "recovery_codes"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            IndexModel([("user_id", ASCENDING), ("batch", ASCENDING)], name="user_batch"),
        ]


class LoginChallenge(Document):
    """The proof that a password was right, redeemable once for a session with a code."""

    challenge_hash: Annotated[str, Indexed(unique=True)]
    user_id: PydanticObjectId
    # The user's token version when the password was checked: a password change or a
    # logout-all moves it, and the challenge no longer redeems.
    token_version: int = 0
    created_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime
    # Set while a code is checked against it and for good once it opened a session.
    claimed_at: datetime | None = None
    used: bool = False
    # Wrong codes presented with it; at MAX_CHALLENGE_ATTEMPTS it is spent.
    attempts: int = 0

    class Settings:
        name = "login_challenges"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            IndexModel([("expires_at", ASCENDING)], name="expires_at_ttl", expireAfterSeconds=0),
            IndexModel([("user_id", ASCENDING)], name="user_id"),
        ]
