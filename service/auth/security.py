"""Passwords (Argon2id, bcrypt still verified) and tokens (JWT access, opaque refresh).

Pure functions and small classes; nothing here touches the database or HTTP.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import anyio.to_thread
import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

from service.auth.keys import KeySet
from service.core.admission import AdmissionGate
from service.core.types import is_usable_password_hash

REFRESH_TOKEN_BYTES = 32
VERIFIED_TOKENS_KEPT = 4096
T = TypeVar("T")


class PasswordHasher:
    """Hashes and verifies passwords without blocking the event loop."""

    def __init__(
        self,
        *,
        time_cost: int,
        memory_cost_kib: int,
        parallelism: int,
        gate: AdmissionGate | None = None,
    ) -> None:
        # Each hash or verification holds `memory_cost_kib` while it runs; the gate bounds
        # how many run at once in this worker (None: unbounded, for scripts and tests).
        self._gate = gate
        argon2 = Argon2Hasher(
            time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism
        )
        # Argon2id hashes new passwords; bcrypt hashes from an older system still verify
        # and are upgraded on the next successful login.
        self._hash = PasswordHash((argon2, BcryptHasher()))
        # Verified against when a login names nobody, so timing does not reveal who exists.
        self._dummy_hash = unmatchable_hash(time_cost, memory_cost_kib, parallelism)

    @property
    def gate(self) -> AdmissionGate | None:
        """The admission gate the hashing runs under (None: unbounded)."""
        return self._gate

    async def _run(self, func: Callable[..., T], *args: str) -> T:
        if self._gate is None:
            return await anyio.to_thread.run_sync(func, *args)
        return await self._gate.run_sync(func, *args)

    async def hash(self, password: str) -> str:
        """Return the Argon2id hash of `password`."""
        return await self._run(self._hash.hash, password)

    async def verify(self, password: str, password_hash: str) -> bool:
        """Tell whether `password` matches `password_hash` (never an unusable one)."""
        if not is_usable_password_hash(password_hash):
            await self.burn(password)  # the same cost: no telling such accounts apart
            return False
        return await self._run(self._hash.verify, password, password_hash)

    async def verify_and_update(self, password: str, password_hash: str) -> tuple[bool, str | None]:
        """Verify; when valid but hashed with outdated parameters, also return a new hash."""
        if not is_usable_password_hash(password_hash):
            await self.burn(password)
            return False, None
        return await self._run(self._hash.verify_and_update, password, password_hash)

    async def burn(self, password: str) -> None:
        """Spend the time of one verification, for logins that name no user."""
        await self._run(self._hash.verify, password, self._dummy_hash)


def unmatchable_hash(time_cost: int, memory_cost_kib: int, parallelism: int) -> str:
    """An Argon2id hash at these parameters that no password matches (a random digest).

    Verifying against it runs the whole Argon2 computation at these parameters, exactly
    as verifying a stored hash does; only the final comparison differs. Written out in
    the PHC format instead of hashed: hashing at the production cost takes ~0.3 s of CPU
    and the whole `memory_cost` at every worker's start.
    """

    def b64(size: int) -> str:
        return base64.b64encode(secrets.token_bytes(size)).rstrip(b"=").decode()

    # argon2-cffi's defaults, which the hasher uses: 16-byte salt, 32-byte digest.
    parameters = f"m={memory_cost_kib},t={time_cost},p={parallelism}"
    return f"$argon2id$v=19${parameters}${b64(16)}${b64(32)}"


class InvalidToken(Exception):
    """The access token is malformed, forged, expired or not meant for this service."""


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says that the service uses (its `jti` only makes each
    token unique and is not read back)."""

    user_id: str
    token_version: int
    session_id: str


@dataclass(frozen=True)
class TokenCodec:
    """Signs access tokens with the key set's active key (its `kid` in the header) and
    verifies them with the key their `kid` names, under that key's own algorithm.

    Verified tokens are remembered (bounded, per process): a client sends the same token
    with every request for its lifetime, and re-checking the signature each time costs
    more CPU than the rest of the authentication. Expiry is still checked on every use.
    """

    keys: KeySet
    issuer: str
    audience: str
    ttl: timedelta
    _verified: OrderedDict[str, tuple[AccessClaims, float]] = field(
        default_factory=OrderedDict, repr=False, compare=False
    )

    def encode(self, user_id: str, token_version: int, session_id: str) -> str:
        """A signed access token for this user and session."""
        now = datetime.now(UTC)
        claims: dict[str, Any] = {
            "sub": user_id,
            "iat": now,
            "exp": now + self.ttl,
            "jti": uuid.uuid4().hex,
            "iss": self.issuer,
            "aud": self.audience,
            "ver": token_version,
            "sid": session_id,
        }
        active = self.keys.active
        return jwt.encode(
            claims, self.keys.signer, algorithm=active.algorithm, headers={"kid": active.kid}
        )

    def decode(self, token: str) -> AccessClaims:
        """Verify `kid`, signature, algorithm, `exp`, `iss` and `aud`; return the claims."""
        remembered = self._verified.get(token)
        if remembered is not None:
            claims, expires_at = remembered
            if time.time() < expires_at:
                self._verified.move_to_end(token)
                return claims
            del self._verified[token]
        claims, expires_at = self._verify(token)
        self._verified[token] = (claims, expires_at)
        if len(self._verified) > VERIFIED_TOKENS_KEPT:
            self._verified.popitem(last=False)
        return claims

    def subject(self, token: str) -> str | None:
        """The user id of a valid token, else None (the rate limiter's key; no database)."""
        try:
            return self.decode(token).user_id
        except InvalidToken:
            return None

    def _verify(self, token: str) -> tuple[AccessClaims, float]:
        try:
            key = self.keys.verifying_key(jwt.get_unverified_header(token).get("kid"))
            if key is None:
                raise InvalidToken("unknown kid")
            claims = jwt.decode(
                token,
                key.public,
                # The key's algorithm, never the token's: `none` and algorithm swaps fail.
                algorithms=[key.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["sub", "exp", "iat", "jti", "iss", "aud"]},
            )
            access = AccessClaims(
                user_id=str(claims["sub"]),
                token_version=int(claims.get("ver", 0)),
                session_id=str(claims.get("sid", "")),
            )
            return access, float(claims["exp"])
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise InvalidToken(type(exc).__name__) from None


def new_refresh_token() -> str:
    """A fresh opaque refresh token (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def refresh_token_digest(token: str) -> str:
    """The stored form of a refresh token: its SHA-256, so a database leak yields no tokens."""
    return hashlib.sha256(token.encode()).hexdigest()
