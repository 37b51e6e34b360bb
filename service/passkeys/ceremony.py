"""The WebAuthn ceremonies, through py_webauthn: options out, responses verified.

Every passkey is a discoverable credential with user verification (a PIN or biometric on
the authenticator): that makes a passkey login two factors in one (something held, and
something known or been), and lets login options name no credential at all, so they
tell nothing about which accounts exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from service.core.webauthn_settings import WebAuthnSettings
from service.passkeys.errors import InvalidPasskeyResponse, PasskeyLoginFailed
from service.passkeys.schemas import AuthenticationCredential, RegistrationCredential

if TYPE_CHECKING:
    from webauthn.helpers.cose import COSEAlgorithmIdentifier

# py_webauthn (with its attestation formats, ASN.1 and CBOR) is ~8 MiB and 90 modules per
# worker: every function here imports what it uses, so only a ceremony loads it.


def algorithms() -> list[COSEAlgorithmIdentifier]:
    """ES256 first: every platform authenticator has it; EdDSA and RS256 for security keys."""
    from webauthn.helpers.cose import COSEAlgorithmIdentifier

    return [
        COSEAlgorithmIdentifier.ECDSA_SHA_256,
        COSEAlgorithmIdentifier.EDDSA,
        COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256,
    ]


@dataclass(frozen=True, slots=True)
class RelyingParty:
    """Who passkeys are bound to (RP id), the origins ceremonies may run on, and bounds."""

    rp_id: str
    name: str
    origins: tuple[str, ...]
    challenge_ttl: timedelta
    max_passkeys: int

    @property
    def timeout_ms(self) -> int:
        """How long the browser may take; the challenge lives exactly as long."""
        return int(self.challenge_ttl.total_seconds() * 1000)


@dataclass(frozen=True, slots=True)
class NewPasskey:
    """A verified registration: what is stored of the credential."""

    credential_id: str
    public_key: bytes
    sign_count: int
    aaguid: str
    backed_up: bool


def _as_json(options: Any) -> dict[str, Any]:
    from webauthn import options_to_json

    parsed: dict[str, Any] = json.loads(options_to_json(options))
    return parsed


def registration_options(
    rp: RelyingParty,
    challenge: bytes,
    *,
    user_handle: bytes,
    user_name: str,
    display_name: str,
    registered: list[str],
) -> dict[str, Any]:
    """`PublicKeyCredentialCreationOptionsJSON` for one user; `registered` (credential ids)
    are excluded, so an authenticator is not registered twice."""
    from webauthn import generate_registration_options
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.structs import (
        AttestationConveyancePreference,
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    options = generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=rp.name,
        user_name=user_name,
        user_id=user_handle,
        user_display_name=display_name,
        challenge=challenge,
        timeout=rp.timeout_ms,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            require_resident_key=True,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(credential_id))
            for credential_id in registered
        ],
        supported_pub_key_algs=algorithms(),
    )
    return _as_json(options)


def authentication_options(rp: RelyingParty, challenge: bytes) -> dict[str, Any]:
    """`PublicKeyCredentialRequestOptionsJSON` naming no credential: the authenticator
    offers the passkeys it holds for this RP id."""
    from webauthn import generate_authentication_options
    from webauthn.helpers.structs import UserVerificationRequirement

    options = generate_authentication_options(
        rp_id=rp.rp_id,
        challenge=challenge,
        timeout=rp.timeout_ms,
        allow_credentials=[],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return _as_json(options)


def challenge_of(client_data_json: str) -> bytes | None:
    """The challenge a response's `clientDataJSON` (base64url) carries; None if malformed."""
    from webauthn.helpers import base64url_to_bytes, parse_client_data_json
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        return parse_client_data_json(base64url_to_bytes(client_data_json)).challenge
    except (ValueError, TypeError, KeyError, WebAuthnException):
        return None


def user_handle_bytes(user_handle: str) -> bytes | None:
    """The bytes of an assertion's `userHandle` (base64url); None if it is not base64url."""
    from webauthn.helpers import base64url_to_bytes

    try:
        return base64url_to_bytes(user_handle)
    except ValueError:
        return None


def verify_registration(
    rp: RelyingParty, credential: RegistrationCredential, challenge: bytes
) -> NewPasskey:
    """Check an attestation against the challenge, RP id and origins (or raise
    `InvalidPasskeyResponse` saying what did not match)."""
    from webauthn import verify_registration_response
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        verified = verify_registration_response(
            credential=credential.model_dump(by_alias=True),
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=list(rp.origins),
            require_user_verification=True,
            supported_pub_key_algs=algorithms(),
        )
    except WebAuthnException as exc:
        raise InvalidPasskeyResponse(f"The passkey could not be registered: {exc}") from None
    return NewPasskey(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        aaguid=verified.aaguid,
        backed_up=verified.credential_backed_up,
    )


def verify_assertion(
    rp: RelyingParty, credential: AuthenticationCredential, challenge: bytes, public_key: bytes
) -> int:
    """Check an assertion's signature, challenge, RP id, origin and user verification;
    return the authenticator's new sign count (the caller judges it against the stored
    one, so that only a correctly signed counter can mark a passkey as cloned)."""
    from webauthn import verify_authentication_response
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        verified = verify_authentication_response(
            credential=credential.model_dump(by_alias=True),
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=list(rp.origins),
            credential_public_key=public_key,
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except WebAuthnException:
        raise PasskeyLoginFailed from None
    return verified.new_sign_count


def relying_party(settings: WebAuthnSettings) -> RelyingParty:
    """The relying party the settings describe (checked for consistency at start-up)."""
    return RelyingParty(
        rp_id=settings.passkey_rp_id,
        name=settings.webauthn_rp_name,
        origins=tuple(settings.passkey_origins),
        challenge_ttl=timedelta(seconds=settings.webauthn_challenge_ttl_s),
        max_passkeys=settings.webauthn_max_passkeys,
    )
