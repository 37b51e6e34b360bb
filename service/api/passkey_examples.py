"""OpenAPI examples of the passkey ceremonies' JSON, as a browser and this service send it.

Responses are tied to one challenge and one authenticator, so these show the shapes; the
ceremony page (`GET /passkeys`) and docs/passkeys.md show a ceremony that works as sent.
"""

from __future__ import annotations

from typing import Any

CREATION_OPTIONS: dict[str, Any] = {
    "rp": {"name": "users-service", "id": "localhost"},
    "user": {"id": "ZmRhM2I0YzVkNmU3", "name": "alice", "displayName": "Alice Liddell"},
    "challenge": "q3pYb0Vg2b3ZkN1a8cVqkS1xJ7mB0r4tQyW9eXfL2uE",
    "pubKeyCredParams": [
        {"type": "public-key", "alg": -7},
        {"type": "public-key", "alg": -8},
        {"type": "public-key", "alg": -257},
    ],
    "timeout": 300000,
    "excludeCredentials": [],
    "authenticatorSelection": {
        "residentKey": "required",
        "requireResidentKey": True,
        "userVerification": "required",
    },
    "attestation": "none",
}

REQUEST_OPTIONS: dict[str, Any] = {
    "rpId": "localhost",
    "challenge": "Zk1yQ2VnT3d5bE5wR0h0c1hkSm9LcFZ6YjNhUTh1TWY",
    "timeout": 300000,
    "allowCredentials": [],
    "userVerification": "required",
}

REGISTRATION_CREDENTIAL: dict[str, Any] = {
    "id": "3q2-7wB6kN1m0c4sT9vZ-A",
    "rawId": "3q2-7wB6kN1m0c4sT9vZ-A",
    "type": "public-key",
    "response": {
        "clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiLi4uIn0",
        "attestationObject": "o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVjE",
        "transports": ["internal"],
    },
    "authenticatorAttachment": "platform",
    "clientExtensionResults": {},
}

AUTHENTICATION_CREDENTIAL: dict[str, Any] = {
    "id": "3q2-7wB6kN1m0c4sT9vZ-A",
    "rawId": "3q2-7wB6kN1m0c4sT9vZ-A",
    "type": "public-key",
    "response": {
        "clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiLi4uIn0",
        "authenticatorData": "SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ",
        "signature": "MEUCIQCx5Y3v0Xh1fH7Lw9kV0j6m4a8X2Zr1Yb3Qf5Tn7Lk2AwIgbQ",
        "userHandle": "ZmRhM2I0YzVkNmU3",
    },
    "authenticatorAttachment": "platform",
    "clientExtensionResults": {},
}
