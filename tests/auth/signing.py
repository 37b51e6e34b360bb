"""Tokens as a test signs them: with the suite's real key, a stranger's key, or a trick.

Every helper returns the compact JWT text; the service under test decides what it is worth.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import jwt

from service.auth.key_store import read_directory
from service.auth.keys import KeySet, generate_pem, parse_pem, public_pem
from service.core.config import Settings


def suite_keys(settings: Settings) -> KeySet:
    """The key set the suite's app signs with (its JWT_KEYS_DIR)."""
    return read_directory(Path(settings.jwt_keys_dir))


def sign(keys: KeySet, claims: dict[str, Any], **header: Any) -> str:
    """`claims` signed by the set's active key, with its `kid` unless `header` says else."""
    headers = {"kid": keys.active.kid, **header}
    return jwt.encode(claims, keys.signer, algorithm=keys.active.algorithm, headers=headers)


def sign_with_stranger(claims: dict[str, Any], kid: str) -> str:
    """`claims` signed by a freshly generated key that claims to be `kid`."""
    stranger = parse_pem(generate_pem("ES256"))
    assert stranger.private is not None
    return jwt.encode(claims, stranger.private, algorithm="ES256", headers={"kid": kid})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(data: dict[str, Any]) -> str:
    return _b64(json.dumps(data, default=str).encode())


def hs256_with_public_key(keys: KeySet, claims: dict[str, Any]) -> str:
    """The classic algorithm swap: HS256 keyed with the published public key's PEM."""
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': keys.active.kid})}."
    signing_input += _segment(claims)
    secret = public_pem(keys.active)
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def unsigned(keys: KeySet, claims: dict[str, Any]) -> str:
    """`alg: none` naming the real key: no signature at all."""
    return f"{_segment({'alg': 'none', 'typ': 'JWT', 'kid': keys.active.kid})}.{_segment(claims)}."
