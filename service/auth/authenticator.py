"""Bearer-token authentication: the `Authenticator` the kernel's `CurrentCaller` asks."""

from __future__ import annotations

from beanie import PydanticObjectId
from bson.errors import InvalidId

from service.auth.errors import NotAuthenticated
from service.auth.security import AccessClaims, InvalidToken, TokenCodec
from service.http.context import bind_user_id
from service.kernel.identity import Caller, CallerDirectory

_INVALID = "The access token is invalid or expired."


class TokenAuthenticator:
    """Verifies the access token, then finds its user's current state in `directory`.

    The directory (the users domain's service, given at start-up) answers from a
    short-lived cache, so a valid token usually costs no database read.
    """

    def __init__(self, codec: TokenCodec, directory: CallerDirectory) -> None:
        self.codec = codec
        self.directory = directory

    def claims(self, token: str | None) -> AccessClaims:
        """The verified claims of the token, or a 401."""
        if not token:
            raise NotAuthenticated
        try:
            return self.codec.decode(token)
        except InvalidToken:
            raise NotAuthenticated(_INVALID) from None

    async def authenticate(self, token: str | None) -> Caller:
        """The active caller the token was issued to, under their current token version."""
        claims = self.claims(token)
        try:
            user_id = PydanticObjectId(claims.user_id)
        except InvalidId:
            raise NotAuthenticated(_INVALID) from None
        caller = await self.directory.find_caller(user_id)
        if caller is None or not caller.is_active or caller.token_version != claims.token_version:
            raise NotAuthenticated("The access token has been revoked.")
        bind_user_id(claims.user_id)
        return caller
