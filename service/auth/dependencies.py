"""Who is asking: bearer-token dependencies and their aliases."""

from __future__ import annotations

from typing import Annotated

from beanie import PydanticObjectId
from bson.errors import InvalidId
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from service.auth.errors import NotAuthenticated
from service.auth.security import AccessClaims, InvalidToken, PasswordHasher, TokenCodec
from service.auth.service import LoginPolicy
from service.config import Settings
from service.kernel.client_address import client_address, parse_networks
from service.middleware import bind_user_id
from service.users.cache import CALLERS
from service.users.models import User
from service.users.service import find_user

# auto_error=False: a missing token becomes our own 401 problem, not FastAPI's plain one.
bearer_scheme = OAuth2PasswordBearer(
    tokenUrl="/auth/token",
    auto_error=False,
    description="Log in at /auth/token (username or email + password) and send the "
    "access token as `Authorization: Bearer <token>`.",
)


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


async def request_client_address(request: Request) -> str:
    """The caller's address, believing `X-Forwarded-For` only from trusted proxies."""
    settings: Settings = request.state.settings
    peer = request.client.host if request.client else None
    return client_address(
        peer,
        request.headers.get("x-forwarded-for"),
        parse_networks(tuple(settings.trusted_proxies)),
    )


def _decode(token: str | None, codec: TokenCodec) -> AccessClaims:
    if not token:
        raise NotAuthenticated
    try:
        return codec.decode(token)
    except InvalidToken:
        raise NotAuthenticated("The access token is invalid or expired.") from None


async def _caller(claims: AccessClaims) -> User:
    try:
        user_id = PydanticObjectId(claims.user_id)
    except InvalidId:
        raise NotAuthenticated("The access token is invalid or expired.") from None
    user = CALLERS.get(user_id)
    if user is None:
        user = await find_user(user_id)
        if user is not None:
            CALLERS.put(user)
    if user is None or not user.is_active or user.token_version != claims.token_version:
        raise NotAuthenticated("The access token has been revoked.")
    bind_user_id(str(user.id))
    return user


async def access_claims(
    request: Request, token: Annotated[str | None, Depends(bearer_scheme)]
) -> AccessClaims:
    """The verified claims of the bearer token, or a 401."""
    return _decode(token, request.state.tokens)


async def current_user(
    request: Request, token: Annotated[str | None, Depends(bearer_scheme)]
) -> User:
    """The active user the token was issued to, under their current token version.

    One dependency rather than a chain of small ones: each dependency the framework
    resolves costs CPU on every authenticated request.
    """
    return await _caller(_decode(token, request.state.tokens))


async def optional_current_user(
    request: Request, token: Annotated[str | None, Depends(bearer_scheme)]
) -> User | None:
    """The caller when a token is sent (it must then be valid), else None."""
    if not token:
        return None
    return await _caller(_decode(token, request.state.tokens))


Claims = Annotated[AccessClaims, Depends(access_claims)]
CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_current_user)]
Hasher = Annotated[PasswordHasher, Depends(password_hasher)]
Codec = Annotated[TokenCodec, Depends(token_codec)]
Policy = Annotated[LoginPolicy, Depends(login_policy)]
ClientAddress = Annotated[str, Depends(request_client_address)]
