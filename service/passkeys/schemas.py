"""What crosses the API: the browser's credential JSON (WebAuthn Level 3 `toJSON()`
shapes, binary fields base64url) and the stored passkeys as their owner sees them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Base64url without padding, as browsers send it; bounded so no one posts megabytes.
Base64Url = Annotated[str, Field(min_length=1, max_length=16_384, pattern=r"^[A-Za-z0-9_-]+$")]
CredentialId = Annotated[str, Field(min_length=16, max_length=1366, pattern=r"^[A-Za-z0-9_-]+$")]
Transport = Literal["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]
PasskeyName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="A label the owner recognises the passkey by.",
        examples=["Laptop"],
    ),
]


class _Json(BaseModel):
    # Browsers add members over time (`publicKey`, `authenticatorData` on create); the
    # ones this service does not read are ignored rather than refused.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class AttestationResponse(_Json):
    """`AuthenticatorAttestationResponseJSON`: what the authenticator made."""

    client_data_json: Base64Url = Field(alias="clientDataJSON")
    attestation_object: Base64Url = Field(alias="attestationObject")
    transports: list[str] = Field(default_factory=list, max_length=10)


class RegistrationCredential(_Json):
    """`RegistrationResponseJSON`: `navigator.credentials.create()`'s result, as JSON."""

    id: CredentialId
    raw_id: CredentialId = Field(alias="rawId")
    type: Literal["public-key"]
    response: AttestationResponse
    authenticator_attachment: Literal["platform", "cross-platform"] | None = Field(
        default=None, alias="authenticatorAttachment"
    )
    client_extension_results: dict[str, Any] = Field(
        default_factory=dict, alias="clientExtensionResults"
    )


class AssertionResponse(_Json):
    """`AuthenticatorAssertionResponseJSON`: the authenticator's signature."""

    client_data_json: Base64Url = Field(alias="clientDataJSON")
    authenticator_data: Base64Url = Field(alias="authenticatorData")
    signature: Base64Url
    user_handle: Base64Url | None = Field(default=None, alias="userHandle")


class AuthenticationCredential(_Json):
    """`AuthenticationResponseJSON`: `navigator.credentials.get()`'s result, as JSON."""

    id: CredentialId
    raw_id: CredentialId = Field(alias="rawId")
    type: Literal["public-key"]
    response: AssertionResponse
    authenticator_attachment: Literal["platform", "cross-platform"] | None = Field(
        default=None, alias="authenticatorAttachment"
    )
    client_extension_results: dict[str, Any] = Field(
        default_factory=dict, alias="clientExtensionResults"
    )


class PasskeyRead(BaseModel):
    """One of the caller's passkeys (never its key material)."""

    id: str = Field(description="The passkey's id in this service (for DELETE).")
    name: str
    created_at: datetime
    last_used_at: datetime | None = Field(description="The latest login with it, if any.")
    transports: list[str] = Field(description="How the browser reaches the authenticator.")
    backed_up: bool = Field(description="Whether the passkey is synced (a password manager).")
    disabled: bool = Field(
        description="True when it signs no login: its signature counter went backwards, as "
        "a copied authenticator's does. Remove it and register a new one."
    )
