"""Sessions as stored refresh tokens: issue, rotate, revoke. No HTTP and no users in here.

Checking a password and the user behind a session is the accounts layer's work
(`service.accounts.login`); this module only keeps the refresh-token collection true.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from beanie import PydanticObjectId
from pymongo import ReturnDocument

from service.auth.errors import InvalidRefreshToken
from service.auth.models import RefreshToken
from service.auth.schemas import TokenPair
from service.auth.security import (
    TokenCodec,
    new_refresh_token,
    refresh_token_digest,
)
from service.core.clock import utc_now

log = structlog.get_logger(__name__)

USER_AGENT_KEPT = 256  # characters of a User-Agent stored per session


@dataclass(frozen=True)
class LoginPolicy:
    """Limits that shape logins and refresh tokens."""

    refresh_ttl: timedelta
    max_failures: int
    window_s: int
    max_failures_per_address: int = 100
    require_verified_email: bool = False
    # How long an unsettled login attempt keeps its place in the throttle: no request
    # lives longer than the request deadline, so a reservation older than that is dead.
    attempt_lease_s: float = 31.0


@dataclass(frozen=True)
class Client:
    """Who is logging in or rotating, as the sessions list shows it."""

    address: str | None = None
    user_agent: str | None = None


async def issue_tokens(
    user_id: PydanticObjectId,
    token_version: int,
    codec: TokenCodec,
    policy: LoginPolicy,
    family_id: str | None = None,
    *,
    client: Client | None = None,
    session_started_at: datetime | None = None,
) -> TokenPair:
    """A new access token and refresh token; a new login starts a new family (session)."""
    family = family_id or uuid.uuid4().hex
    refresh = new_refresh_token()
    now = utc_now()
    client = client or Client()
    await RefreshToken(
        token_hash=refresh_token_digest(refresh),
        user_id=user_id,
        family_id=family,
        token_version=token_version,
        created_at=now,
        expires_at=now + policy.refresh_ttl,
        session_started_at=session_started_at or now,
        client_ip=client.address,
        user_agent=client.user_agent[:USER_AGENT_KEPT] if client.user_agent else None,
    ).insert()
    return TokenPair(
        access_token=codec.encode(str(user_id), token_version, family),
        refresh_token=refresh,
        expires_in=int(codec.ttl.total_seconds()),
    )


async def revoke_family(family_id: str) -> None:
    """Revoke every live refresh token of one session."""
    await RefreshToken.get_pymongo_collection().update_many(
        {"family_id": family_id, "revoked_at": None}, {"$set": {"revoked_at": utc_now()}}
    )


async def claim_refresh_token(token: str) -> RefreshToken:
    """Spend a refresh token; return it as stored before (user, family, token version).

    Presenting a token that was already used means it leaked (or a client raced itself):
    the whole family is revoked, so the thief's copy dies with the owner's.
    """
    collection = RefreshToken.get_pymongo_collection()
    digest = refresh_token_digest(token)
    now = utc_now()
    stored = await collection.find_one_and_update(
        {"token_hash": digest, "used_at": None, "revoked_at": None},
        {"$set": {"used_at": now}},
        return_document=ReturnDocument.BEFORE,
    )
    if stored is None:
        known = await RefreshToken.find_one({"token_hash": digest})
        if known is not None and known.used_at is not None:
            await revoke_family(known.family_id)
            log.warning(
                "auth.token_reuse_detected", user_id=str(known.user_id), family_id=known.family_id
            )
        raise InvalidRefreshToken
    if stored["expires_at"] <= now:
        raise InvalidRefreshToken
    claimed: RefreshToken = RefreshToken.model_validate(stored)
    return claimed


async def session_of(user_id: PydanticObjectId, token: str) -> str | None:
    """The session (family) this refresh token belongs to, if it is the user's; any of the
    family's tokens names it, used or not, so a client holding an old one can still end it."""
    known = await RefreshToken.find_one(
        {"token_hash": refresh_token_digest(token), "user_id": user_id}
    )
    return known.family_id if known is not None else None


async def sweep_sessions(
    user_id: PydanticObjectId | None, token_version: int, *, keep_family: str | None = None
) -> None:
    """After the user's token version moved to `token_version`: revoke every stored refresh
    token issued under an older version but `keep_family`'s, whose live token moves to
    the new version.

    Safe to repeat, and to run late: tokens issued under the new version (a login with
    the new password) are never touched. Correctness does not wait for it either: a token
    of an older version is refused by its version alone; the sweep tidies the sessions list.
    """
    collection = RefreshToken.get_pymongo_collection()
    query: dict[str, object] = {
        "user_id": user_id,
        "revoked_at": None,
        "token_version": {"$lt": token_version},
    }
    if keep_family:
        query["family_id"] = {"$ne": keep_family}
        await collection.update_many(
            {"user_id": user_id, "family_id": keep_family, "revoked_at": None, "used_at": None},
            {"$set": {"token_version": token_version}},
        )
    await collection.update_many(query, {"$set": {"revoked_at": utc_now()}})


async def forget_user(user_id: PydanticObjectId) -> None:
    """Delete every refresh token of a deleted user."""
    await RefreshToken.get_pymongo_collection().delete_many({"user_id": user_id})
