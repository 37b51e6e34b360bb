"""Finding the session a refresh token belongs to, without spending the token."""

from __future__ import annotations

from service.auth.models import RefreshToken
from service.auth.security import refresh_token_digest


async def find_session_token(token: str) -> RefreshToken | None:
    """The stored refresh token (live, used or revoked) behind `token`, if any."""
    return await RefreshToken.find_one({"token_hash": refresh_token_digest(token)})
