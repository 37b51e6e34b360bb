"""Typed accessors of the auth domain's start-up state, and the token's claims."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.auth.authenticator import TokenAuthenticator
from service.auth.security import AccessClaims, PasswordHasher, TokenCodec
from service.auth.service import LoginPolicy
from service.config import SettingsDep
from service.kernel.client_address import client_address, parse_networks
from service.kernel.identity import bearer_scheme


async def password_hasher(request: Request) -> PasswordHasher:
    """The app's password hasher, configured from settings at start-up."""
    hasher: PasswordHasher = request.state.hasher
    return hasher


async def token_codec(request: Request) -> TokenCodec:
    """The app's access-token codec."""
    codec: TokenCodec = request.state.tokens
    return codec


async def login_policy(request: Request) -> LoginPolicy:
    """Refresh lifetime and login-throttling limits."""
    policy: LoginPolicy = request.state.login_policy
    return policy


async def request_client_address(request: Request, settings: SettingsDep) -> str:
    """The caller's address, believing `X-Forwarded-For` only from trusted proxies."""
    peer = request.client.host if request.client else None
    return client_address(
        peer,
        request.headers.get("x-forwarded-for"),
        parse_networks(tuple(settings.trusted_proxies)),
    )


async def access_claims(
    request: Request, token: Annotated[str | None, Depends(bearer_scheme)]
) -> AccessClaims:
    """The verified claims of the bearer token (its session id, for one), or a 401."""
    authenticator: TokenAuthenticator = request.state.authenticator
    return authenticator.claims(token)


Claims = Annotated[AccessClaims, Depends(access_claims)]
Hasher = Annotated[PasswordHasher, Depends(password_hasher)]
Codec = Annotated[TokenCodec, Depends(token_codec)]
Policy = Annotated[LoginPolicy, Depends(login_policy)]
ClientAddress = Annotated[str, Depends(request_client_address)]
