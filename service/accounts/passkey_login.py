"""Logging in with a passkey: options with a single-use challenge, then the signed
assertion for a token pair, issued as a password login's are.

A passkey login needs no password and no second factor: the authenticator verified its
user (PIN or biometric; required by the options and checked here) and proved possession
of the key, which is two factors. Failures count towards the login throttle like wrong
passwords. Every cause of failure gives one answer (`PasskeyLoginFailed`), except a
correctly signed assertion from a passkey found cloned (`PasskeyDisabled`): its holder
already proved to hold the key, so telling them why is safe and useful.
"""

from __future__ import annotations

import hashlib
from typing import Any

import structlog
from prometheus_client import Counter

from service.accounts import login_attempts
from service.audit.models import AuditEventType
from service.audit.trail import Audit
from service.auth import service as sessions
from service.auth import throttle
from service.auth.errors import EmailNotVerified, LoginThrottled
from service.auth.schemas import TokenPair
from service.auth.security import TokenCodec
from service.auth.service import Client, LoginPolicy
from service.passkeys import ceremony, challenges, store
from service.passkeys.ceremony import RelyingParty
from service.passkeys.errors import PasskeyDisabled, PasskeyLoginFailed
from service.passkeys.models import CeremonyPurpose, Passkey
from service.passkeys.schemas import AuthenticationCredential
from service.users import repository
from service.users.models import User

log = structlog.get_logger(__name__)


async def login_options(rp: RelyingParty, username: str | None) -> dict[str, Any]:
    """Request options for a login, by anyone (`username` None: usernameless) or by one
    account. The answer is the same whether or not that account exists or has passkeys:
    the options name no credential; the challenge alone remembers whom it is for."""
    if username is None:
        challenge = await challenges.issue(
            CeremonyPurpose.AUTHENTICATION, rp.challenge_ttl, any_user=True
        )
    else:
        user = await repository.find_by_login(throttle.normalise_login(username))
        # An unknown name gets a challenge no passkey can redeem: same answer, no login.
        challenge = await challenges.issue(
            CeremonyPurpose.AUTHENTICATION, rp.challenge_ttl, user_id=user.id if user else None
        )
    return ceremony.authentication_options(rp, challenge)


def _account(passkey: Passkey | None, credential_id: str) -> str:
    """The throttle's account: the owner, or (unknown credential) the credential id."""
    if passkey is not None:
        return str(passkey.user_id)
    return "passkey:" + hashlib.sha256(credential_id.encode()).hexdigest()


async def _check_assertion(
    rp: RelyingParty, credential: AuthenticationCredential, passkey: Passkey | None
) -> tuple[Passkey, int]:
    """The passkey and its new sign count, if the assertion answers a live challenge
    meant for its owner; else `PasskeyLoginFailed`."""
    challenge = ceremony.challenge_of(credential.response.client_data_json)
    if challenge is None:
        raise PasskeyLoginFailed
    issued = await challenges.redeem(challenge, CeremonyPurpose.AUTHENTICATION)
    if issued is None or passkey is None:
        raise PasskeyLoginFailed
    if not issued.any_user and issued.user_id != passkey.user_id:
        raise PasskeyLoginFailed  # options asked for another account
    handle = credential.response.user_handle
    if handle is not None and ceremony.user_handle_bytes(handle) != passkey.user_id.binary:
        raise PasskeyLoginFailed  # the authenticator stored this key for someone else
    return passkey, ceremony.verify_assertion(rp, credential, challenge, passkey.public_key)


async def _record_use(passkey: Passkey, new_count: int, audit: Audit) -> None:
    """Advance the counter, or (it did not grow) disable the passkey as cloned."""
    stored = passkey.sign_count
    regressed = (new_count > 0 or stored > 0) and new_count <= stored
    if passkey.disabled_at is not None:
        raise PasskeyDisabled
    if not regressed and await store.advance_sign_count(passkey, new_count):
        return
    # The counter did not grow past the last recorded use (or a parallel use at the same
    # count was recorded first): two authenticators hold this key.
    if await store.disable(passkey):
        log.warning(
            "passkey.clone_suspected",
            user_id=str(passkey.user_id),
            passkey_id=str(passkey.id),
            stored_count=stored,
            presented_count=new_count,
        )
        await audit.record(
            AuditEventType.PASSKEY_DISABLED,
            user_id=passkey.user_id,
            detail={
                "passkey_id": str(passkey.id),
                "name": passkey.name,
                "reason": store.CLONE_SUSPECTED,
                "stored_count": stored,
                "presented_count": new_count,
            },
        )
    raise PasskeyDisabled


async def _user_of(passkey: Passkey) -> User:
    user = await repository.find_user(passkey.user_id)
    if user is None or not user.is_active:
        raise PasskeyLoginFailed
    return user


async def _note_failure(passkey: Passkey | None, reason: str, client_ip: str, audit: Audit) -> None:
    log.info(
        "auth.login_failed",
        method="passkey",
        user_id=str(passkey.user_id) if passkey else None,
        reason=reason,
        client_ip=client_ip,
    )
    if passkey is not None:
        await audit.record(
            AuditEventType.LOGIN_FAILED,
            user_id=passkey.user_id,
            detail={"method": "passkey", "passkey_id": str(passkey.id), "reason": reason},
        )


async def login(
    credential: AuthenticationCredential,
    rp: RelyingParty,
    client_ip: str,
    *,
    codec: TokenCodec,
    policy: LoginPolicy,
    outcomes: Counter,
    audit: Audit,
    user_agent: str | None = None,
) -> TokenPair:
    """Verify a passkey assertion (throttled per account and address) and open a session;
    `outcomes` counts each attempt by its outcome, `audit` records its events."""
    try:
        tokens = await _login(
            credential,
            rp,
            client_ip,
            codec=codec,
            policy=policy,
            audit=audit,
            user_agent=user_agent,
        )
    except LoginThrottled:
        outcomes.labels(outcome="throttled").inc()
        raise
    except PasskeyDisabled:
        outcomes.labels(outcome="disabled").inc()
        raise
    except (PasskeyLoginFailed, EmailNotVerified):
        outcomes.labels(outcome="failed").inc()
        raise
    outcomes.labels(outcome="succeeded").inc()
    return tokens


async def _login(
    credential: AuthenticationCredential,
    rp: RelyingParty,
    client_ip: str,
    *,
    codec: TokenCodec,
    policy: LoginPolicy,
    audit: Audit,
    user_agent: str | None,
) -> TokenPair:
    passkey = await store.find_by_credential_id(credential.raw_id)
    held = await login_attempts.reserve(_account(passkey, credential.raw_id), client_ip, policy)
    settled = False
    try:
        try:
            passkey, new_count = await _check_assertion(rp, credential, passkey)
            await _record_use(passkey, new_count, audit)
            user = await _user_of(passkey)
        except (PasskeyLoginFailed, PasskeyDisabled) as exc:
            await login_attempts.failed(held)
            settled = True
            reason = (
                "passkey-disabled" if isinstance(exc, PasskeyDisabled) else "passkey-login-failed"
            )
            await _note_failure(passkey, reason, client_ip, audit)
            raise
        await login_attempts.succeeded(held)
        settled = True
    finally:
        if not settled:
            await login_attempts.give_back(held)
    if policy.require_verified_email and not user.is_verified:
        log.info("auth.login_failed", user_id=str(user.id), reason="email_not_verified")
        raise EmailNotVerified
    assert user.id is not None  # noqa: S101 - stored users always have an id
    # Recorded before the tokens exist: no session opens without its audit record.
    await audit.record(
        AuditEventType.PASSKEY_USED,
        user_id=user.id,
        actor_id=user.id,
        detail={"passkey_id": str(passkey.id), "name": passkey.name},
    )
    tokens = await sessions.issue_tokens(
        user.id,
        user.token_version,
        codec,
        policy,
        client=Client(address=client_ip, user_agent=user_agent),
    )
    log.info("auth.login_succeeded", method="passkey", user_id=str(user.id), client_ip=client_ip)
    return tokens
