"""A software WebAuthn authenticator and client, producing the bytes a browser sends.

It is the real protocol, not a mock: ES256 keys (`cryptography`), attestation "none" with
CBOR (`cbor2`) attested credential data, authenticator data with the RP id hash, flags and
a big-endian sign counter, and `clientDataJSON` as a browser writes it; the results are
the `toJSON()` forms of `navigator.credentials.create()` and `.get()`. As a browser would,
`create` and `get` take the page's origin and use the RP id the options name; tests of
phishing pass another origin or RP id, as a look-alike site's page would.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

FLAG_UP = 0x01  # user present
FLAG_UV = 0x04  # user verified
FLAG_AT = 0x40  # attested credential data included
AAGUID = bytes(16)  # "none" attestation: all zero


def b64url(data: bytes) -> str:
    """Base64url without padding, as WebAuthn's JSON forms use it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    """The bytes of a base64url string (padding optional)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    """One key pair the authenticator holds, as a passkey (discoverable) for one RP."""

    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


@dataclass
class SoftAuthenticator:
    """A platform authenticator with user verification; `counter_step` 0 models one
    that keeps no signature counter (as synced passkeys do)."""

    origin: str
    counter_step: int = 1
    user_verified: bool = True
    credentials: list[Credential] = field(default_factory=list)

    def clone(self) -> SoftAuthenticator:
        """A copy holding the same keys and counters: what extracting the keys gives."""
        return SoftAuthenticator(
            origin=self.origin,
            counter_step=self.counter_step,
            user_verified=self.user_verified,
            credentials=[copy.copy(c) for c in self.credentials],
        )

    def _flags(self, extra: int = 0) -> int:
        return FLAG_UP | (FLAG_UV if self.user_verified else 0) | extra

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": origin or self.origin,
                "crossOrigin": False,
            },
            separators=(",", ":"),
        ).encode()

    def create(
        self,
        options: dict[str, Any],
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        existing: Credential | None = None,
    ) -> dict[str, Any]:
        """`navigator.credentials.create({publicKey: options})`, as `toJSON()`. With
        `existing`, attests that key pair again (an authenticator that ignores
        `excludeCredentials`, or a copy of one registering it elsewhere)."""
        rp = rp_id or options["rp"].get("id")
        key = existing.private_key if existing else ec.generate_private_key(ec.SECP256R1())
        numbers = key.public_key().public_numbers()
        cose_key = {
            1: 2,
            3: -7,
            -1: 1,
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        }
        credential = existing or Credential(
            secrets.token_bytes(16), key, rp, unb64url(options["user"]["id"])
        )
        if existing is None:
            self.credentials.append(credential)
        attested = AAGUID + struct.pack(">H", len(credential.credential_id))
        attested += credential.credential_id + cbor2.dumps(cose_key)
        auth_data = self._auth_data(credential, FLAG_AT) + attested
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def _auth_data(self, credential: Credential, extra_flags: int = 0) -> bytes:
        rp_hash = hashlib.sha256(credential.rp_id.encode()).digest()
        return (
            rp_hash + bytes([self._flags(extra_flags)]) + struct.pack(">I", credential.sign_count)
        )

    def get(
        self,
        options: dict[str, Any],
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        credential: Credential | None = None,
        bump: bool = True,
    ) -> dict[str, Any]:
        """`navigator.credentials.get({publicKey: options})`, as `toJSON()`: signs with
        `credential` (default: the first passkey held for the options' RP id). `bump`
        False signs again at the current counter (what a second copy of the key does)."""
        rp = rp_id or options["rpId"]
        chosen = credential or next(c for c in self.credentials if c.rp_id == options["rpId"])
        if bump:
            chosen.sign_count += self.counter_step
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        # The signature covers the RP id the authenticator was asked for (`rp_id`).
        signed_rp = Credential(chosen.credential_id, chosen.private_key, rp, chosen.user_handle)
        signed_rp.sign_count = chosen.sign_count
        auth_data = self._auth_data(signed_rp)
        signature = chosen.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64url(chosen.credential_id),
            "rawId": b64url(chosen.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(chosen.user_handle),
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }
