"""A signing key for the services a benchmark starts, and tokens they accept.

Generated per benchmark run and handed to the service as `JWT_SIGNING_KEY`, the way a
deployment passes a key in a variable (docs/tokens.md).
"""

from __future__ import annotations

from datetime import timedelta

from service.auth.key_store import read_variables
from service.auth.keys import generate_pem
from service.auth.security import TokenCodec

SIGNING_KEY = generate_pem("ES256").decode()


def bench_codec() -> TokenCodec:
    """The codec of a service started with SIGNING_KEY (and no PUBLIC_BASE_URL)."""
    keys = read_variables(SIGNING_KEY, None)
    return TokenCodec(keys, "users-service", "users-service", timedelta(hours=1))


def bench_token(user_id: str, session: str = "bench") -> str:
    """An access token for `user_id` that a service started with SIGNING_KEY accepts."""
    return bench_codec().encode(user_id, 0, session)
