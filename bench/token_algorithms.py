"""Sign + verify CPU per access token for HS256, ES256 and EdDSA (Ed25519), with PyJWT.

    python -m bench.token_algorithms [--tokens 2000]

Each token carries the service's real claims and a `kid` header; verification pins the
algorithm and checks `iss`, `aud` and `exp`, as service/auth/security.py does. CPU time
(process time), best of five rounds, so other load on the machine inflates nothing.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from service.auth.key_store import read_variables
from service.auth.keys import generate_pem
from service.auth.security import TokenCodec

ROUNDS = 5


def _claims() -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "sub": "6751f0c2a1b2c3d4e5f60718",
        "iat": now,
        "exp": now + timedelta(minutes=15),
        "jti": uuid.uuid4().hex,
        "iss": "https://users.example.com",
        "aud": "https://users.example.com",
        "ver": 0,
        "sid": uuid.uuid4().hex,
    }


def _best_us(work: Callable[[], object], count: int) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.process_time()
        for _ in range(count):
            work()
        best = min(best, time.process_time() - start)
    return best / count * 1e6


def measure(count: int) -> dict[str, tuple[float, float]]:
    """Per algorithm: (sign µs, verify µs) per token."""
    keys: dict[str, tuple[Any, Any]] = {
        "HS256": (b"s" * 32, b"s" * 32),
        "ES256": (key := ec.generate_private_key(ec.SECP256R1()), key.public_key()),
        "EdDSA": (ed := ed25519.Ed25519PrivateKey.generate(), ed.public_key()),
    }
    results: dict[str, tuple[float, float]] = {}
    claims = _claims()
    headers = {"kid": "bench"}
    check = {"audience": claims["aud"], "issuer": claims["iss"]}
    for algorithm, (signing, verifying) in keys.items():
        token = jwt.encode(claims, signing, algorithm=algorithm, headers=headers)
        sign = partial(jwt.encode, claims, signing, algorithm=algorithm, headers=headers)
        verify = partial(jwt.decode, token, verifying, algorithms=[algorithm], **check)
        results[algorithm] = (_best_us(sign, count), _best_us(verify, count))
    return results


def remembered_us(count: int) -> float:
    """The service codec's cost for a token it has verified before (its per-worker cache)."""
    keys = read_variables(generate_pem("ES256").decode(), None)
    codec = TokenCodec(keys, "users-service", "users-service", timedelta(minutes=15))
    token = codec.encode("6751f0c2a1b2c3d4e5f60718", 0, "s")
    return _best_us(partial(codec.decode, token), count)


def main() -> None:
    """Print the table of sign and verify cost per token."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=2000)
    count = parser.parse_args().tokens
    print(f"| algorithm | sign µs/token | verify µs/token | sign+verify µs | ({count} tokens)")
    print("|---|---|---|---|")
    for algorithm, (sign, verify) in measure(count).items():
        print(f"| {algorithm} | {sign:.1f} | {verify:.1f} | {sign + verify:.1f} |")
    print(f"\nTokenCodec.decode of a token seen before: {remembered_us(count):.1f} µs")


if __name__ == "__main__":
    main()
