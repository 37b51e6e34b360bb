"""Another service verifies the users service's tokens through the JWKS URL alone: it
accepts real tokens, refuses forged ones and follows a key rotation, over real HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt

from scripts.localdb import LocalServer, free_port
from service.auth.key_store import activate, add_key, retire
from service.auth.keys import build_key_set
from tests.auth.jwks_consumer import consumer_app
from tests.auth.signing import hs256_with_public_key, sign, sign_with_stranger, unsigned
from tests.factories import user_payload
from tests.races import PARALLEL, race
from tests.service_process import running_service

ISSUER = AUDIENCE = "users-service"


def _login(base_url: str) -> tuple[str, str]:
    """Register someone on the running service; return their id and an access token."""
    payload = user_payload()
    created = httpx.post(f"{base_url}/users", json=payload, timeout=30)
    assert created.status_code == 201, created.text
    form = {"username": payload["username"], "password": payload["password"]}
    tokens = httpx.post(f"{base_url}/auth/token", data=form, timeout=30)
    assert tokens.status_code == 200, tokens.text
    return str(created.json()["id"]), str(tokens.json()["access_token"])


async def _whoami(consumer: httpx.AsyncClient, token: str) -> int:
    response = await consumer.get("/whoami", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def _claims(user_id: str, **changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims = {"sub": user_id, "iat": now, "exp": now + timedelta(minutes=5)}
    return {**claims, "jti": "j", "iss": ISSUER, "aud": AUDIENCE, **changes}


async def test_a_second_service_verifies_tokens_through_the_jwks_alone(
    mongo_server: LocalServer, tmp_path: Path
) -> None:
    keys_dir = tmp_path / "jwt-keys"
    old_key = add_key(keys_dir, "ES256", activate=True)
    old = build_key_set([old_key], old_key.kid)
    port = free_port()
    database = f"test_jwks_{uuid.uuid4().hex[:8]}"

    @contextmanager
    def users_service() -> Iterator[str]:
        # The same address across restarts: the consumer knows only this one URL.
        env = {"JWT_KEYS_DIR": str(keys_dir), "JWT_SIGNING_KEY": ""}
        log = tmp_path / "service.log"
        with running_service(mongo_server.url, database, log, extra_env=env, port=port) as url:
            yield url

    jwks_url = f"http://127.0.0.1:{port}/.well-known/jwks.json"
    app, jwks = consumer_app(jwks_url, ISSUER, AUDIENCE)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://consumer") as consumer:
        with users_service() as base_url:
            user_id, old_token = _login(base_url)
            counts, _ = await race(
                PARALLEL,
                lambda _: consumer.get("/whoami", headers={"Authorization": f"Bearer {old_token}"}),
            )
            assert counts == {200: PARALLEL}
            # Verified locally: one download of the key set for all those requests.
            assert jwks.fetches == 1
            forged = {
                "stranger's key": sign_with_stranger(_claims(user_id), old_key.kid),
                "HS256 with the public key": hs256_with_public_key(old, _claims(user_id)),
                "alg none": unsigned(old, _claims(user_id)),
                "other audience": sign(old, _claims(user_id, aud="another-api")),
                "other issuer": sign(old, _claims(user_id, iss="https://evil.example")),
                "expired": sign(old, _claims(user_id, exp=datetime.now(UTC) - timedelta(1))),
            }
            for name, token in forged.items():
                assert await _whoami(consumer, token) == 401, name

        # The rotation of docs/tokens.md. Step 1: publish the new key, not signing yet.
        new_key = add_key(keys_dir, "EdDSA", activate=False)
        with users_service():
            # Waiting JWKS_MAX_AGE_S lets every cached copy expire; here, the consumer's
            # cache is made to expire (what PyJWKClient does once its lifespan is over).
            jwks.get_jwk_set(refresh=True)
            assert jwks.fetches == 2
        # Step 2: the new key signs. The consumer knows it already: no fetch, no refusal
        # (an unknown kid would wait out PyJWKClient's refresh cooldown, 30 s by default).
        activate(keys_dir, new_key.kid)
        with users_service() as base_url:
            _, new_token = _login(base_url)
            assert jwt.get_unverified_header(new_token)["kid"] == new_key.kid
            assert await _whoami(consumer, new_token) == 200
            assert await _whoami(consumer, old_token) == 200  # minted before the rotation
            assert jwks.fetches == 2
        # Step 3, after the longest access-token lifetime: retire the old key.
        retire(keys_dir, old_key.kid)
        with users_service():
            jwks.get_jwk_set(refresh=True)  # the cached copy expires again
            assert await _whoami(consumer, new_token) == 200
            assert await _whoami(consumer, old_token) == 401
