"""Who is asking: a bearer token checked by the auth domain, its user found by the users
domain, under the user's current token version."""

from __future__ import annotations

from beanie import PydanticObjectId
from bson.errors import InvalidId

from service.auth.errors import NotAuthenticated
from service.auth.security import AccessClaims, InvalidToken, TokenCodec
from service.users.models import User
from service.users.service import UserService

_INVALID = "The access token is invalid or expired."


def verified_claims(codec: TokenCodec, token: str | None) -> AccessClaims:
    """The verified claims of the token, or a 401."""
    if not token:
        raise NotAuthenticated
    try:
        return codec.decode(token)
    except InvalidToken:
        raise NotAuthenticated(_INVALID) from None


async def authenticate(codec: TokenCodec, users: UserService, token: str | None) -> User:
    """The active user the token was issued to, under their current token version.

    The user comes from the users service's short-lived cache, so a valid token usually
    costs no database read.
    """
    return await claims_user(users, verified_claims(codec, token))


async def claims_user(users: UserService, claims: AccessClaims) -> User:
    """The active user verified `claims` name, under their current token version."""
    try:
        user_id = PydanticObjectId(claims.user_id)
    except InvalidId:
        raise NotAuthenticated(_INVALID) from None
    user = await users.find_caller(user_id)
    if user is None or not user.is_active or user.token_version != claims.token_version:
        raise NotAuthenticated("The access token has been revoked.")
    return user
