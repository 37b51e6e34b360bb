"""The access-token key set: one active signing key and any number of verify-only keys.

Pure key handling (no HTTP, no files): parse PEM keys, name each by its RFC 7638 JWK
thumbprint (`kid`), sign with the active key, pick the verifying key by `kid`, publish the
public halves as a JWK Set. A key's type fixes its algorithm (P-256 -> ES256, Ed25519 ->
EdDSA), so a token can never choose how it is checked.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

Algorithm = Literal["ES256", "EdDSA"]
ALGORITHMS: tuple[Algorithm, ...] = ("ES256", "EdDSA")
PrivateKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
PublicKey = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey
# The members of each key type's JWK that its RFC 7638 thumbprint covers.
_THUMBPRINT_MEMBERS = {"EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x")}


class KeySetError(ValueError):
    """A key cannot be parsed, is of an unsupported type, or the set has no signing key."""


@dataclass(frozen=True)
class TokenKey:
    """One key of the set: its `kid`, algorithm, public half and (if held) private half."""

    kid: str
    algorithm: Algorithm
    public: PublicKey
    private: PrivateKey | None = None

    def public_jwk(self) -> dict[str, str]:
        """The public key as a JWK with `kid`, `alg` and `use` (never a private member)."""
        jwk = _jwk(self.public)
        return {**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig"}


@dataclass(frozen=True)
class KeySet:
    """The active signing key plus every key a token may still be verified with."""

    active: TokenKey
    signer: PrivateKey  # the active key's private half
    keys: Mapping[str, TokenKey]

    def verifying_key(self, kid: object) -> TokenKey | None:
        """The key named `kid`, or None when the set holds no such key."""
        return self.keys.get(kid) if isinstance(kid, str) else None

    @property
    def algorithms(self) -> list[str]:
        """The algorithms of the keys in the set, active first."""
        found = [self.active.algorithm, *(key.algorithm for key in self.keys.values())]
        return list(dict.fromkeys(found))

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The public JWK Set (RFC 7517): the active key first, then verify-only ones."""
        ordered = [self.active, *(k for k in self.keys.values() if k.kid != self.active.kid)]
        return {"keys": [key.public_jwk() for key in ordered]}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwk(public: PublicKey) -> dict[str, str]:
    if isinstance(public, ec.EllipticCurvePublicKey):
        return {k: str(v) for k, v in ECAlgorithm.to_jwk(public, as_dict=True).items()}
    return {k: str(v) for k, v in OKPAlgorithm.to_jwk(public, as_dict=True).items()}


def thumbprint(public: PublicKey) -> str:
    """The RFC 7638 JWK thumbprint (SHA-256, base64url): the same `kid` on every replica."""
    jwk = _jwk(public)
    members = {name: jwk[name] for name in _THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return _b64(hashlib.sha256(canonical.encode()).digest())


def _algorithm(public: object) -> Algorithm:
    if isinstance(public, ec.EllipticCurvePublicKey) and isinstance(public.curve, ec.SECP256R1):
        return "ES256"
    if isinstance(public, ed25519.Ed25519PublicKey):
        return "EdDSA"
    raise KeySetError("only P-256 (ES256) and Ed25519 (EdDSA) keys are supported")


def parse_pem(pem: bytes) -> TokenKey:
    """One key from PEM: a private key (PKCS#8 or SEC1) signs, a public key only verifies."""
    private: object = None
    try:
        if b"PRIVATE KEY" in pem:
            private = serialization.load_pem_private_key(pem, password=None)
            public: object = private.public_key()
        else:
            public = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, AttributeError) as exc:
        raise KeySetError(f"not a usable PEM key ({type(exc).__name__})") from None
    algorithm = _algorithm(public)
    assert isinstance(public, ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey)  # noqa: S101
    assert private is None or isinstance(private, PrivateKey)  # noqa: S101
    return TokenKey(thumbprint(public), algorithm, public, private)


def split_pem_blocks(text: str) -> list[bytes]:
    """Every `-----BEGIN … -----END …-----` block of `text`, in order."""
    blocks, current = [], []
    for line in text.strip().splitlines():
        line = line.strip()
        if line.startswith("-----BEGIN"):
            current = [line]
        elif current:
            current.append(line)
            if line.startswith("-----END"):
                blocks.append(("\n".join(current) + "\n").encode())
                current = []
    return blocks


def generate_pem(algorithm: Algorithm) -> bytes:
    """A new private key for `algorithm`, as unencrypted PKCS#8 PEM."""
    key: PrivateKey = (
        ec.generate_private_key(ec.SECP256R1())
        if algorithm == "ES256"
        else ed25519.Ed25519PrivateKey.generate()
    )
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(key: TokenKey) -> bytes:
    """The public half of `key` as SubjectPublicKeyInfo PEM (what a verify-only file holds)."""
    return key.public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def build_key_set(keys: Iterable[TokenKey], active_kid: str | None) -> KeySet:
    """The set of `keys`, signing with `active_kid` (or the only private key when None)."""
    by_kid: dict[str, TokenKey] = {}
    for key in keys:
        known = by_kid.get(key.kid)
        by_kid[key.kid] = key if known is None or known.private is None else known
    if active_kid is None:
        signers = [key for key in by_kid.values() if key.private is not None]
        if len(signers) != 1:
            raise KeySetError(
                f"{len(signers)} private keys and none named active: name the signing key"
            )
        active_kid = signers[0].kid
    active = by_kid.get(active_kid)
    if active is None or active.private is None:
        raise KeySetError(f"the active key {active_kid!r} is not a private key of the set")
    return KeySet(active=active, signer=active.private, keys=dict(by_kid))


class KeyRow(NamedTuple):
    """What operators see of one key: no key material."""

    kid: str
    alg: str
    role: str


def describe(key_set: KeySet) -> list[KeyRow]:
    """One row per key for operators: kid, algorithm, role (no key material)."""
    return [
        KeyRow(
            kid=key.kid,
            alg=key.algorithm,
            role="active"
            if key.kid == key_set.active.kid
            else ("verify-only (private)" if key.private else "verify-only (public)"),
        )
        for key in key_set.keys.values()
    ]
