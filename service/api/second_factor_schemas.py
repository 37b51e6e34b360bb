"""Bodies of the second-factor endpoints and the documented challenge answer of a login."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.http.problems import PROBLEM_MEDIA_TYPE, Problem

# A code field takes a 6-digit TOTP code or a recovery code ("xxxx-xxxx-xxxx-xxxx").
Code = Field(min_length=6, max_length=32, examples=["123456"])


class EnrolRequest(BaseModel):
    """The account password, proving the caller owns the account being protected."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=128, examples=["correct-horse-battery"])


class TotpEnrolment(BaseModel):
    """A started enrolment: the secret is shown this once and never again."""

    secret: str = Field(description="Base32 TOTP secret, for typing into an app by hand.")
    otpauth_uri: str = Field(description="`otpauth://totp/...` URI holding the secret.")
    qr_image: str = Field(description="The URI as a QR code: an SVG `data:` URI for `<img src>`.")
    expires_at: datetime = Field(description="Confirm with a first code before this time.")


class CodeRequest(BaseModel):
    """A code from the authenticator app."""

    model_config = ConfigDict(extra="forbid")

    code: str = Code


class ProofRequest(BaseModel):
    """The password and a current code (or a recovery code), for changing the factor."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=128, examples=["correct-horse-battery"])
    code: str = Code


class RecoveryCodes(BaseModel):
    """Ten single-use recovery codes, shown this once; each replaces one app code."""

    recovery_codes: list[str] = Field(examples=[["abcd-efgh-jkmn-pqrs"]])


class SecondFactorStatus(BaseModel):
    """Whether the caller's account has a second factor; never the secret itself."""

    enabled: bool = Field(description="True once an enrolment was confirmed.")
    state: Literal["pending", "confirmed"] | None
    confirmed_at: datetime | None
    recovery_codes_left: int = Field(description="Unused recovery codes of the current set.")


class ChallengeRedemption(BaseModel):
    """The challenge of `POST /auth/token`'s 401 and a code (or a recovery code)."""

    model_config = ConfigDict(extra="forbid")

    challenge: str = Field(min_length=1, max_length=128)
    code: str = Code


class SecondFactorChallenge(Problem):
    """A 401 problem; when `type` ends in `second-factor-required` the password was right
    and `challenge` with a code completes the login at `POST /auth/token/second-factor`."""

    challenge: str | None = Field(default=None, description="Single use, short-lived.")
    expires_in: int | None = Field(default=None, description="Seconds the challenge lives.")
    methods: list[str] | None = Field(
        default=None, description="What completes it: `totp`, `recovery_code`."
    )


CHALLENGE_RESPONSE: dict[int | str, dict[str, Any]] = {
    401: {
        "model": SecondFactorChallenge,
        "description": "Wrong credentials (`invalid-credentials`), or the password was right "
        "and the account has a second factor (`second-factor-required`, with a `challenge`).",
        "content": {
            PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/SecondFactorChallenge"}}
        },
    }
}
