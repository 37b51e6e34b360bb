"""Bodies of the auth endpoints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.core.types import Password


class TokenPair(BaseModel):
    """What a login or a refresh returns."""

    access_token: str = Field(description="JWT for the Authorization: Bearer header.")
    refresh_token: str = Field(description="Opaque; exchange at /auth/refresh. Single use.")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type name
    expires_in: int = Field(description="Seconds until the access token expires.")


class RefreshRequest(BaseModel):
    """A refresh token to rotate or revoke."""

    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=512)


class PasswordChange(BaseModel):
    """The current password, proving it is the user, and the new one."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=128)
    new_password: Password
