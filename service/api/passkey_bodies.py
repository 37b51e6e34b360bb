"""The passkey routes' request bodies and the documentation of their options answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from service.api.passkey_examples import AUTHENTICATION_CREDENTIAL, REGISTRATION_CREDENTIAL
from service.passkeys.schemas import AuthenticationCredential, PasskeyName, RegistrationCredential


def options_response(description: str, example: dict[str, Any]) -> dict[int | str, Any]:
    """A 200 response of options JSON, with its example, for `responses=`."""
    return {
        200: {
            "description": description,
            "content": {"application/json": {"example": example}},
        }
    }


class PasskeyRegistration(BaseModel):
    """The authenticator's response to the registration options, and a label for it."""

    name: PasskeyName
    credential: RegistrationCredential = Field(
        description="`PublicKeyCredential.toJSON()` of `navigator.credentials.create()`.",
        examples=[REGISTRATION_CREDENTIAL],
    )


class PasskeyLoginOptionsRequest(BaseModel):
    """Whom the login is for: a username or email, or nobody (any passkey of this site)."""

    username: str | None = Field(
        default=None,
        min_length=1,
        max_length=320,
        description="Optional. Without it the browser offers every passkey it holds for "
        "this site (usernameless login). The answer is the same for every name.",
        examples=["alice"],
    )


class PasskeyLogin(BaseModel):
    """The authenticator's answer to the login options."""

    credential: AuthenticationCredential = Field(
        description="`PublicKeyCredential.toJSON()` of `navigator.credentials.get()`.",
        examples=[AUTHENTICATION_CREDENTIAL],
    )
