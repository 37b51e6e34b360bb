"""Passkeys (WebAuthn): a signed-in user registers, lists and removes them; anyone logs
in with one. Each ceremony is two calls: options (with a single-use challenge) for
`navigator.credentials.create()`/`.get()`, then the browser's response as JSON."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from beanie import PydanticObjectId
from fastapi import APIRouter, Path, Response, status

from service.accounts import passkey_login, passkeys
from service.api.declared_routes import declared
from service.api.deps import (
    AuditDep,
    ClientAddress,
    Codec,
    CurrentUser,
    LoginPolicyDep,
    Metrics,
    SettingsDep,
    UserAgent,
)
from service.api.passkey_bodies import (
    PasskeyLogin,
    PasskeyLoginOptionsRequest,
    PasskeyRegistration,
    options_response,
)
from service.api.passkey_examples import CREATION_OPTIONS, REQUEST_OPTIONS
from service.auth.schemas import TokenPair
from service.http.convertors import register_convertors
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute
from service.passkeys.ceremony import relying_party
from service.passkeys.models import Passkey
from service.passkeys.schemas import (
    PasskeyRead,
)

register_convertors()
router = APIRouter(route_class=declared(ServiceRoute))
PASSKEYS: list[str | Enum] = ["passkeys"]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PasskeyIdPath = Annotated[
    PydanticObjectId, Path(description="The passkey's id (from the list): 24 hex characters.")
]


def _read(passkey: Passkey) -> PasskeyRead:
    return PasskeyRead(
        id=str(passkey.id),
        name=passkey.name,
        created_at=passkey.created_at,
        last_used_at=passkey.last_used_at,
        transports=passkey.transports,
        backed_up=passkey.backed_up,
        disabled=passkey.disabled_at is not None,
    )


@router.post(
    "/users/me/passkeys/registration-options",
    tags=PASSKEYS,
    response_model=dict[str, Any],
    summary="Start registering a passkey",
    description="Returns `PublicKeyCredentialCreationOptionsJSON` for "
    "`navigator.credentials.create()` (binary members base64url; "
    "`PublicKeyCredential.parseCreationOptionsFromJSON` reads it). Its challenge is good "
    "for one registration by the caller within `timeout` milliseconds. The passkey must "
    "be discoverable and verify its user (PIN or biometric).",
    responses={
        **options_response("Creation options", CREATION_OPTIONS),
        **problem_responses(401, 422, 503),
    },
)
async def registration_options(
    user: CurrentUser, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    """Creation options with a fresh challenge."""
    response.headers.update(NO_STORE)
    return await passkeys.registration_options(user, relying_party(settings))


@router.post(
    "/users/me/passkeys",
    tags=PASSKEYS,
    status_code=status.HTTP_201_CREATED,
    response_model=PasskeyRead,
    dependencies=[JsonBody],
    summary="Register a passkey",
    description="Verifies the authenticator's response (challenge issued to the caller and "
    "not used before, origin among `WEBAUTHN_ORIGINS`, RP id, user verification) and "
    "stores the passkey. 400 `invalid-passkey-response` says what did not verify; 409 "
    "when the passkey is already registered or the account holds the most it may.",
    responses=problem_responses(400, 401, 409, 415, 422, 503),
)
async def add_passkey(
    body: PasskeyRegistration,
    user: CurrentUser,
    settings: SettingsDep,
    audit: AuditDep,
) -> PasskeyRead:
    """Store a new passkey."""
    passkey = await passkeys.add_passkey(
        user, body.credential, body.name, relying_party(settings), audit
    )
    return _read(passkey)


@router.get(
    "/users/me/passkeys",
    tags=PASSKEYS,
    response_model=list[PasskeyRead],
    summary="List the caller's passkeys",
    description="Oldest first. A `disabled` passkey signs no login: its signature counter "
    "went backwards, which a copied authenticator does.",
    responses=problem_responses(401, 422, 503),
)
async def list_passkeys(user: CurrentUser) -> list[PasskeyRead]:
    """The caller's passkeys."""
    return [_read(passkey) for passkey in await passkeys.list_passkeys(user)]


@router.delete(
    "/users/me/passkeys/{passkey_id:objectid}",
    tags=PASSKEYS,
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove one of the caller's passkeys",
    description="It signs no login from then on. 404 when the caller has no passkey with "
    "this id, or the id is not 24 hexadecimal characters.",
    responses=problem_responses(401, 404, 422, 503),
)
async def remove_passkey(
    passkey_id: PasskeyIdPath,
    user: CurrentUser,
    audit: AuditDep,
) -> Response:
    """Delete a passkey."""
    await passkeys.remove_passkey(user, passkey_id, audit)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/auth/passkey/options",
    tags=PASSKEYS,
    response_model=dict[str, Any],
    dependencies=[JsonBody],
    summary="Start a passkey login",
    description="Returns `PublicKeyCredentialRequestOptionsJSON` for "
    "`navigator.credentials.get()`. It names no credential (`allowCredentials` is empty): "
    "the browser offers the passkeys it holds for this site, and the answer is the same "
    "whether or not `username` has an account or passkeys. With a `username`, only that "
    "account's passkey can redeem the challenge. Single use, expires after `timeout` ms.",
    responses={
        **options_response("Request options", REQUEST_OPTIONS),
        **problem_responses(400, 415, 422, 429, 503),
    },
)
async def login_options(
    body: PasskeyLoginOptionsRequest, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    """Request options with a fresh challenge."""
    response.headers.update(NO_STORE)
    return await passkey_login.login_options(relying_party(settings), body.username)


@router.post(
    "/auth/passkey",
    tags=PASSKEYS,
    response_model=TokenPair,
    dependencies=[JsonBody],
    summary="Log in with a passkey",
    description="Verifies the assertion (challenge from `/auth/passkey/options`, used once; "
    "origin; RP id; user verification; signature; a signature counter that grows) and "
    "returns a token pair as `/auth/token` does. A passkey login is complete on its own: "
    "the authenticator verified its user, so it counts as two factors. Failures share one "
    "401 `passkey-login-failed` and count towards the login throttle (429). A correctly "
    "signed assertion whose counter did not grow disables the passkey as cloned: 403 "
    "`passkey-disabled`, now and for every later use.",
    responses=problem_responses(400, 401, 403, 415, 422, 429, 503),
)
async def passkey_login_route(
    body: PasskeyLogin,
    response: Response,
    settings: SettingsDep,
    codec: Codec,
    policy: LoginPolicyDep,
    client: ClientAddress,
    metrics: Metrics,
    audit: AuditDep,
    user_agent: UserAgent = None,
) -> TokenPair:
    """Exchange a passkey assertion for tokens."""
    tokens = await passkey_login.login(
        body.credential,
        relying_party(settings),
        client,
        codec=codec,
        policy=policy,
        outcomes=metrics.passkey_logins,
        audit=audit,
        user_agent=user_agent,
    )
    response.headers.update(NO_STORE)
    return tokens
