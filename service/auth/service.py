"""Login, token rotation, logout and password changes. No HTTP in here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from beanie import PydanticObjectId
from pymongo import ReturnDocument

from service.auth import throttle
from service.auth.errors import EmailNotVerified, InvalidCredentials, InvalidRefreshToken
from service.auth.models import RefreshToken
from service.auth.schemas import TokenPair
from service.auth.security import (
    PasswordHasher,
    TokenCodec,
    new_refresh_token,
    refresh_token_digest,
)
from service.kernel.clock import utc_now
from service.users import service as users
from service.users.models import User

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


@dataclass(frozen=True)
class Client:
    """Who is logging in or rotating, as the sessions list shows it."""

    address: str | None = None
    user_agent: str | None = None


async def _find_login(name: str) -> User | None:
    field = "email" if "@" in name else "username"
    return await User.find_one({field: name})


async def issue_tokens(
    user: User,
    codec: TokenCodec,
    policy: LoginPolicy,
    family_id: str | None = None,
    *,
    client: Client | None = None,
    session_started_at: datetime | None = None,
) -> TokenPair:
    """A new access token and refresh token; a new login starts a new family (session)."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    family = family_id or uuid.uuid4().hex
    refresh = new_refresh_token()
    now = utc_now()
    client = client or Client()
    await RefreshToken(
        token_hash=refresh_token_digest(refresh),
        user_id=user.id,
        family_id=family,
        token_version=user.token_version,
        created_at=now,
        expires_at=now + policy.refresh_ttl,
        session_started_at=session_started_at or now,
        client_ip=client.address,
        user_agent=client.user_agent[:USER_AGENT_KEPT] if client.user_agent else None,
    ).insert()
    return TokenPair(
        access_token=codec.encode(str(user.id), user.token_version, family),
        refresh_token=refresh,
        expires_in=int(codec.ttl.total_seconds()),
    )


async def login(
    login_name: str,
    password: str,
    client_ip: str,
    *,
    hasher: PasswordHasher,
    codec: TokenCodec,
    policy: LoginPolicy,
    user_agent: str | None = None,
) -> TokenPair:
    """Check the password (throttled per account and address) and open a session."""
    name = throttle.normalise_login(login_name)
    user = await _find_login(name)
    # An email and its username are one account; names nobody has are counted by name.
    account = str(user.id) if user is not None else f"name:{name}"
    pair, address = throttle.account_key(account, client_ip), throttle.address_key(client_ip)
    await throttle.count_attempt(pair, policy.max_failures, policy.window_s)
    await throttle.count_attempt(address, policy.max_failures_per_address, policy.window_s)
    if user is None:
        await hasher.burn(password)  # same cost as a real check: no user enumeration by timing
        valid, new_hash = False, None
    else:
        valid, new_hash = await hasher.verify_and_update(password, user.password_hash)
    if not valid or user is None or not user.is_active:
        reason = "inactive" if valid else "bad_credentials"
        log.info(
            "auth.login_failed",
            user_id=str(user.id) if user else None,
            reason=reason,
            client_ip=client_ip,
        )
        raise InvalidCredentials
    # Only after the password matched, so this answer tells nothing to a guesser.
    if policy.require_verified_email and not user.is_verified:
        log.info("auth.login_failed", user_id=str(user.id), reason="email_not_verified")
        raise EmailNotVerified
    # bcrypt or outdated Argon2 parameters: upgrade in place, unless the password changed
    # meanwhile (then the stored hash is newer than the one just checked).
    if new_hash is not None and await users.set_password_hash(user, user.password_hash, new_hash):
        log.info("auth.password_rehashed", user_id=str(user.id))
    await throttle.forgive(pair, address)
    tokens = await issue_tokens(
        user, codec, policy, client=Client(address=client_ip, user_agent=user_agent)
    )
    log.info("auth.login_succeeded", user_id=str(user.id), client_ip=client_ip)
    return tokens


async def _revoke_family(family_id: str) -> None:
    await RefreshToken.get_pymongo_collection().update_many(
        {"family_id": family_id, "revoked_at": None}, {"$set": {"revoked_at": utc_now()}}
    )


async def refresh(
    token: str, *, codec: TokenCodec, policy: LoginPolicy, client: Client | None = None
) -> TokenPair:
    """Rotate: the presented token dies and a new pair in the same family is issued.

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
            await _revoke_family(known.family_id)
            log.warning(
                "auth.token_reuse_detected", user_id=str(known.user_id), family_id=known.family_id
            )
        raise InvalidRefreshToken
    if stored["expires_at"] <= now:
        raise InvalidRefreshToken
    user = await users.find_user(stored["user_id"])
    if user is None or not user.is_active or user.token_version != stored.get("token_version", 0):
        # Deleted, deactivated, or the sessions were revoked after this token was issued.
        await _revoke_family(stored["family_id"])
        raise InvalidRefreshToken
    log.info("auth.token_refreshed", user_id=str(user.id))
    return await issue_tokens(
        user,
        codec,
        policy,
        family_id=stored["family_id"],
        client=client,
        session_started_at=stored.get("session_started_at") or stored.get("created_at"),
    )


async def logout(user_id: PydanticObjectId, token: str) -> None:
    """End the session this refresh token belongs to (only if it is the caller's)."""
    known = await RefreshToken.find_one(
        {"token_hash": refresh_token_digest(token), "user_id": user_id}
    )
    if known is not None:
        await _revoke_family(known.family_id)
    log.info("auth.logout", user_id=str(user_id))


async def revoke_sessions(user: User, *, keep_family: str | None = None) -> None:
    """Revoke the user's refresh tokens (but `keep_family`) and every access token.

    The token version moves first: from then on every token issued under the old version
    is refused, including one a concurrent refresh is about to store. The sweep then marks
    the stored tokens revoked, and the kept session's live token moves to the new version.
    """
    version = await users.bump_token_version(user)
    collection = RefreshToken.get_pymongo_collection()
    query: dict[str, object] = {"user_id": user.id, "revoked_at": None}
    if keep_family:
        query["family_id"] = {"$ne": keep_family}
        await collection.update_many(
            {"user_id": user.id, "family_id": keep_family, "revoked_at": None, "used_at": None},
            {"$set": {"token_version": version}},
        )
    await collection.update_many(query, {"$set": {"revoked_at": utc_now()}})


async def logout_all(user: User) -> None:
    """End every session of the user, outstanding access tokens included."""
    await revoke_sessions(user)
    log.info("auth.logout_all", user_id=str(user.id))


async def forget_user(user_id: PydanticObjectId) -> None:
    """Delete every refresh token of a deleted user."""
    await RefreshToken.get_pymongo_collection().delete_many({"user_id": user_id})
