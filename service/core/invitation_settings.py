"""The invitation settings: how long the link mailed to a user an admin created lives."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class InvitationSettings(BaseSettings):
    """Users an admin creates without a password choose one from a mailed link."""

    # Longer than a reset link's: the invitee did not ask for the mail and may open it days
    # later. Redeeming it is a password reset (single use, ends with a verified address).
    invitation_token_ttl_s: int = Field(default=7 * 86_400, ge=3600, le=30 * 86_400)
