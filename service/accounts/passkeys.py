"""A signed-in user's passkeys: register one (options, then the authenticator's
response), list them, remove one. Every change is on the audit trail."""

from __future__ import annotations

from typing import Any, get_args

import structlog
from beanie import PydanticObjectId

from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.passkeys import ceremony, challenges, store
from service.passkeys.ceremony import RelyingParty
from service.passkeys.errors import InvalidPasskeyResponse
from service.passkeys.models import CeremonyPurpose, Passkey
from service.passkeys.schemas import RegistrationCredential, Transport
from service.users.models import User

log = structlog.get_logger(__name__)

KNOWN_TRANSPORTS = frozenset(get_args(Transport))


async def registration_options(user: User, rp: RelyingParty) -> dict[str, Any]:
    """Creation options for a new passkey of `user`, with a fresh single-use challenge."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    challenge = await challenges.issue(
        CeremonyPurpose.REGISTRATION, rp.challenge_ttl, user_id=user.id
    )
    return ceremony.registration_options(
        rp,
        challenge,
        # The user handle is the id's 12 bytes: stable, and no personal data.
        user_handle=user.id.binary,
        user_name=user.username,
        display_name=user.name or user.username,
        registered=await store.credential_ids(user.id),
    )


async def add_passkey(
    user: User,
    credential: RegistrationCredential,
    name: str,
    rp: RelyingParty,
    audit: Audit,
) -> Passkey:
    """Verify the authenticator's response to a challenge issued to `user` and store the
    passkey; the audit record and the passkey are stored together or not at all."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    challenge = ceremony.challenge_of(credential.response.client_data_json)
    redeemed = challenge is not None and await challenges.redeem(
        challenge, CeremonyPurpose.REGISTRATION, user_id=user.id
    )
    if challenge is None or not redeemed:
        raise InvalidPasskeyResponse(
            "The response's challenge is unknown, used or expired; ask for new options."
        )
    verified = ceremony.verify_registration(rp, credential, challenge)
    transports = [t for t in credential.response.transports if t in KNOWN_TRANSPORTS]
    passkey = await store.add_passkey(user.id, verified, name, transports, rp.max_passkeys)
    assert passkey.id is not None  # noqa: S101 - set by the insert
    try:
        await audit.record(
            AuditEventType.PASSKEY_ADDED,
            user_id=user.id,
            actor_id=user.id,
            detail={"passkey_id": str(passkey.id), "name": name},
        )
    except BaseException:
        await store.remove_passkey(user.id, passkey.id)
        raise
    log.info("passkey.added", user_id=str(user.id), passkey_id=str(passkey.id))
    return passkey


async def list_passkeys(user: User) -> list[Passkey]:
    """The user's passkeys, oldest first."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    return await store.list_passkeys(user.id)


async def remove_passkey(user: User, passkey_id: PydanticObjectId, audit: Audit) -> None:
    """Remove one of the user's passkeys (`PasskeyNotFound` otherwise), audited; should the
    audit record fail, the passkey is put back."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    removed = await store.remove_passkey(user.id, passkey_id)
    try:
        await audit.record(
            AuditEventType.PASSKEY_REMOVED,
            user_id=user.id,
            actor_id=user.id,
            detail={"passkey_id": str(removed.id), "name": removed.name},
        )
    except BaseException:
        await store.restore(removed)
        raise
    log.info("passkey.removed", user_id=str(user.id), passkey_id=str(removed.id))
