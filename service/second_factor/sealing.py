"""Keys of second factors: TOTP secrets sealed with AES-256-GCM, recovery codes under HMAC.

A database dump alone yields neither a TOTP secret nor a way to test recovery-code guesses
offline: both need SECOND_FACTOR_KEY, which lives in the deployment's secrets, not in
MongoDB. Each secret is bound to its user id as associated data, so a sealed secret copied
onto another user's record does not open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
NONCE_BYTES = 12


class UnreadableSecret(Exception):
    """A sealed secret no configured key opens (a key was removed too early)."""


def _key_id(key: bytes) -> str:
    # Names the key in the stored value without revealing it: rotation finds the right one.
    return hashlib.sha256(b"key-id\x00" + key).hexdigest()[:8]


def _subkey(key: bytes, purpose: bytes) -> bytes:
    # One configured key, separate keys per use, so no output of one use helps another.
    return hmac.new(key, purpose, hashlib.sha256).digest()


@dataclass(frozen=True)
class Keyring:
    """The active key (seals and reads) and older keys (read only, during a rotation)."""

    active: bytes
    older: tuple[bytes, ...] = ()

    def seal(self, secret: str, owner: str) -> str:
        """Encrypt `secret` for `owner` (a user id) under the active key."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(_subkey(self.active, b"totp-secret")).encrypt(
            nonce, secret.encode(), owner.encode()
        )
        payload = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"{VERSION}.{_key_id(self.active)}.{payload}"

    def open(self, sealed: str, owner: str) -> str:
        """The secret sealed for `owner`; `UnreadableSecret` if no key opens it."""
        try:
            version, key_id, payload = sealed.split(".", 2)
            raw = base64.urlsafe_b64decode(payload)
        except ValueError:
            raise UnreadableSecret from None
        for key in (self.active, *self.older):
            if version != VERSION or _key_id(key) != key_id:
                continue
            try:
                plain = AESGCM(_subkey(key, b"totp-secret")).decrypt(
                    raw[:NONCE_BYTES], raw[NONCE_BYTES:], owner.encode()
                )
            except InvalidTag:
                raise UnreadableSecret from None
            return plain.decode()
        raise UnreadableSecret

    def needs_reseal(self, sealed: str) -> bool:
        """Whether `sealed` was sealed under an older key."""
        return not sealed.startswith(f"{VERSION}.{_key_id(self.active)}.")

    def code_hash(self, code: str) -> str:
        """The keyed hash a recovery code is stored and looked up by.

        A fast hash is enough here: each code carries about 78 random bits, far beyond
        offline guessing at any hash speed, unlike a password; and a fixed output lets one
        indexed, atomic update find and spend a code. Keyed, so a stolen table cannot be
        checked against guesses at all without the key.
        """
        return _code_hash(self.active, code)

    def code_hashes(self, code: str) -> list[str]:
        """The hashes `code` may be stored under: the active key's, then older keys'."""
        return [_code_hash(key, code) for key in (self.active, *self.older)]


def _code_hash(key: bytes, code: str) -> str:
    return hmac.new(_subkey(key, b"recovery-code"), code.encode(), "sha256").hexdigest()


def challenge_hash(challenge: str) -> str:
    """SHA-256 of a login challenge (256 random bits: no key or slow hash needed)."""
    return hashlib.sha256(challenge.encode()).hexdigest()
