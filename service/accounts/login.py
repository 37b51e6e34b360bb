"""Logging in, rotating tokens and ending every session: the user's password and state (users
domain) decide, the sessions (auth domain) are issued and revoked."""

from __future__ import annotations

import structlog

from service.accounts import login_attempts, second_factor_login
from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.auth import service as sessions
from service.auth import throttle
from service.auth.errors import EmailNotVerified, InvalidCredentials, InvalidRefreshToken
from service.auth.schemas import TokenPair
from service.auth.security import PasswordHasher, TokenCodec
from service.auth.service import Client, LoginPolicy
from service.users import repository
from service.users.models import User
from service.users.service import UserService

log = structlog.get_logger(__name__)


async def _check(
    user: User | None, password: str, hasher: PasswordHasher
) -> tuple[bool, str | None]:
    if user is None:
        await hasher.burn(password)  # same cost as a real check: no user enumeration by timing
        return False, None
    return await hasher.verify_and_update(password, user.password_hash)


async def login(
    users: UserService,
    login_name: str,
    password: str,
    client_ip: str,
    *,
    hasher: PasswordHasher,
    codec: TokenCodec,
    policy: LoginPolicy,
    audit: Audit,
    user_agent: str | None = None,
) -> TokenPair:
    """Check the password (throttled per account and address) and open a session.

    Only a wrong password or an unknown or inactive account counts as a failure; an attempt
    the server failed (503: no hashing slot, deadline, database) is given back.
    """
    name = throttle.normalise_login(login_name)
    user = await repository.find_by_login(name)
    # An email and its username are one account; names nobody has are counted by name.
    account = str(user.id) if user is not None else f"name:{name}"
    held = await login_attempts.reserve(account, client_ip, policy)
    settled = False
    try:
        valid, new_hash = await _check(user, password, hasher)
        if not valid or user is None or not user.is_active:
            # Recorded before the failure counts: if the trail cannot take it, the attempt
            # is given back (503) like any other the server failed.
            reason = (
                "unknown_account" if user is None else "inactive" if valid else "wrong_password"
            )
            await audit.record(
                AuditEventType.LOGIN_FAILED,
                user_id=user.id if user else None,
                detail={"reason": reason},
            )
            await login_attempts.failed(held)
            settled = True
            log.info(
                "auth.login_failed",
                user_id=str(user.id) if user else None,
                reason="inactive" if valid else "bad_credentials",
                client_ip=client_ip,
            )
            raise InvalidCredentials
        pair, address = held
        # With a second factor the password is half a login: its failures stay counted
        # until a code completes it (service.accounts.second_factor_login).
        second_step = await second_factor_login.required(user)
        await (throttle.release(pair) if second_step else throttle.forgive(pair))
        await throttle.release(address)
        settled = True
    finally:
        if not settled:
            await login_attempts.give_back(held)
    # Only after the password matched, so this answer tells nothing to a guesser.
    if policy.require_verified_email and not user.is_verified:
        await audit.record(
            AuditEventType.LOGIN_FAILED,
            user_id=user.id,
            detail={"reason": "email_not_verified"},
        )
        log.info("auth.login_failed", user_id=str(user.id), reason="email_not_verified")
        raise EmailNotVerified
    # bcrypt or outdated Argon2 parameters: upgrade in place, unless the password changed
    # meanwhile (then the stored hash is newer than the one just checked).
    if new_hash is not None and await users.set_password_hash(user, user.password_hash, new_hash):
        log.info("auth.password_rehashed", user_id=str(user.id))
    if second_step:  # a challenge, never tokens: see service.accounts.second_factor_login
        raise await second_factor_login.challenge(user)
    assert user.id is not None  # noqa: S101 - stored users always have an id
    await audit.record(AuditEventType.LOGIN_SUCCEEDED, user_id=user.id, actor_id=user.id)
    tokens = await sessions.issue_tokens(
        user.id,
        user.token_version,
        codec,
        policy,
        client=Client(address=client_ip, user_agent=user_agent),
    )
    log.info("auth.login_succeeded", user_id=str(user.id), client_ip=client_ip)
    return tokens


async def refresh(
    users: UserService,
    token: str,
    *,
    codec: TokenCodec,
    policy: LoginPolicy,
    client: Client | None = None,
) -> TokenPair:
    """Rotate: the presented token dies and a new pair in the same family is issued,
    provided its user is still active and the sessions were not revoked since."""
    stored = await sessions.claim_refresh_token(token)
    user = await repository.find_user(stored.user_id)
    if user is None or not user.is_active or user.token_version != stored.token_version:
        # Deleted, deactivated, or the sessions were revoked after this token was issued.
        await sessions.revoke_family(stored.family_id)
        raise InvalidRefreshToken
    log.info("auth.token_refreshed", user_id=str(user.id))
    assert user.id is not None  # noqa: S101 - stored users always have an id
    return await sessions.issue_tokens(
        user.id,
        user.token_version,
        codec,
        policy,
        family_id=stored.family_id,
        client=client,
        session_started_at=stored.session_started_at or stored.created_at,
    )


async def revoke_sessions(
    users: UserService, user: User, *, keep_family: str | None = None
) -> None:
    """Revoke the user's refresh tokens (but `keep_family`) and every access token.

    The token version moves first: from then on every token issued under the old version
    is refused, including one a concurrent refresh is about to store. The sweep then marks
    the stored tokens revoked, and the kept session's live token moves to the new version.
    """
    version = await users.bump_token_version(user)
    await sessions.sweep_sessions(user.id, version, keep_family=keep_family)


async def logout_all(users: UserService, user: User, audit: Audit) -> None:
    """End every session of the user, outstanding access tokens included."""
    detail = {"reason": "logout_all", "session": "all"}
    await audit.record(
        AuditEventType.SESSION_ENDED, user_id=user.id, actor_id=user.id, detail=detail
    )
    await revoke_sessions(users, user)
    log.info("auth.logout_all", user_id=str(user.id))
