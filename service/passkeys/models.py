"""The `passkeys` and `passkey_challenges` collections."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from beanie import Document, Indexed, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from service.core.clock import utc_now


class Passkey(Document):
    """One registered WebAuthn credential of a user: its id and public key, never a secret."""

    user_id: Annotated[PydanticObjectId, Indexed()]
    # The authenticator's credential id (base64url): unique, so no two accounts share one.
    credential_id: Annotated[str, Indexed(unique=True)]
    public_key: bytes  # COSE_Key, as the attestation carried it
    # The authenticator's signature counter; it must grow with every use (0: no counter).
    sign_count: int = 0
    transports: list[str] = Field(default_factory=list)
    aaguid: str | None = None
    backed_up: bool = False
    name: str
    created_at: datetime = Field(default_factory=utc_now)
    last_used_at: datetime | None = None
    # Set when a signed assertion's counter did not grow (a cloned authenticator): the
    # passkey signs no login from then on; its owner removes it and registers a new one.
    disabled_at: datetime | None = None
    disabled_reason: str | None = None

    class Settings:
        name = "passkeys"
        use_state_management = False


class CeremonyPurpose(StrEnum):
    """Which ceremony a challenge belongs to; one is never redeemable for the other."""

    REGISTRATION = "registration"
    AUTHENTICATION = "authentication"


class PasskeyChallenge(Document):
    """One ceremony's challenge, stored as its SHA-256 and deleted when redeemed."""

    challenge_hash: Annotated[str, Indexed(unique=True)]
    purpose: CeremonyPurpose
    # Registration: the signed-in user. Login: the named user, or None when no name was
    # given (any discoverable passkey) and `any_user` is true.
    user_id: PydanticObjectId | None = None
    any_user: bool = False
    created_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime

    class Settings:
        name = "passkey_challenges"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            IndexModel([("expires_at", ASCENDING)], name="expires_at_ttl", expireAfterSeconds=0),
        ]
