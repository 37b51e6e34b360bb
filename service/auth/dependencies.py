"""Typed accessors of the auth domain's start-up state, and the token's claims."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.auth.authenticator import TokenAuthenticator
from service.auth.security import AccessClaims, PasswordHasher, TokenCodec
from service.auth.service import LoginPolicy
from service.http.client_address import client_address, parse_networks
from service.kernel.identity import bearer_scheme
from service.kernel.state import SettingsDep, from_state


async def request_client_address(request: Request, settings: SettingsDep) -> str:
    """The caller's address, believing `X-Forwarded-For` only from trusted proxies."""
    peer = request.client.host if request.client else None
    return client_address(
        peer,
        request.headers.get("x-forwarded-for"),
        parse_networks(tuple(settings.trusted_proxies)),
    )


# The app's password hasher, access-token codec and login policy (refresh lifetime,
# throttling limits), configured from settings at start-up.
Hasher = Annotated[PasswordHasher, from_state("hasher")]
Codec = Annotated[TokenCodec, from_state("tokens")]
Policy = Annotated[LoginPolicy, from_state("login_policy")]
TokenCheck = Annotated[TokenAuthenticator, from_state("authenticator")]
ClientAddress = Annotated[str, Depends(request_client_address)]


async def access_claims(
    authenticator: TokenCheck, token: Annotated[str | None, Depends(bearer_scheme)]
) -> AccessClaims:
    """The verified claims of the bearer token (its session id, for one), or a 401."""
    return authenticator.claims(token)


Claims = Annotated[AccessClaims, Depends(access_claims)]
