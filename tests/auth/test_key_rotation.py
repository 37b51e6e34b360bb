"""Key rotation end to end, as docs/tokens.md tells an operator to do it: publish a new key,
make it sign, retire the old one, redeploying after each step. No session is lost; a
token of a removed key, of an unknown key or under a swapped algorithm is a 401."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
from pymongo import AsyncMongoClient

from service.auth.key_store import activate, add_key, read_directory, retire
from service.auth.keys import KeySet, TokenKey, build_key_set
from service.core.config import Settings
from tests.auth.signing import hs256_with_public_key, sign, sign_with_stranger, unsigned
from tests.conftest import AppFactory
from tests.factories import bearer, create_user, login
from tests.races import PARALLEL, race


def _kid(tokens: dict[str, Any]) -> str:
    return str(jwt.get_unverified_header(tokens["access_token"])["kid"])


def _claims(user_id: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "sub": user_id,
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "jti": uuid.uuid4().hex,
        "iss": "users-service",
        "aud": "users-service",
        "ver": 0,
        "sid": "s",
    }


def _alone(key: TokenKey) -> KeySet:
    return build_key_set([key], key.kid)


async def _me(client: httpx.AsyncClient, access_token: str) -> int:
    headers = {"Authorization": f"Bearer {access_token}"}
    return (await client.get("/users/me", headers=headers)).status_code


async def test_rotation_keeps_every_session_and_removed_keys_stop_working(
    app_with: AppFactory, settings: Settings, tmp_path: Path
) -> None:
    keys_dir = tmp_path / "jwt-keys"
    old_key = add_key(keys_dir, "ES256", activate=True)
    database = f"test_rotation_{uuid.uuid4().hex[:8]}"

    @asynccontextmanager
    async def deployed() -> AsyncIterator[httpx.AsyncClient]:
        # One database for every deployment: users and sessions outlive the restarts.
        async with app_with(mongodb_db=database, jwt_keys_dir=str(keys_dir)) as client:
            yield client

    try:
        async with deployed() as client:
            user = await create_user(client)
            first = await login(client, user["username"])
            assert _kid(first) == old_key.kid

        # Step 1: publish the new key; it does not sign yet.
        new_key = add_key(keys_dir, "EdDSA", activate=False)
        async with deployed() as client:
            jwks = (await client.get("/.well-known/jwks.json")).json()
            assert [k["kid"] for k in jwks["keys"]] == [old_key.kid, new_key.kid]
            second = await login(client, user["username"])
            assert _kid(second) == old_key.kid
            assert await _me(client, first["access_token"]) == 200

        # Step 2: the new key signs; the old one only verifies.
        activate(keys_dir, new_key.kid)
        async with deployed() as client:
            counts, _ = await race(
                PARALLEL,
                lambda i: client.get("/users/me", headers=bearer((first, second)[i % 2])),
            )
            assert counts == {200: PARALLEL}  # every token minted before the rotation
            rotated = await client.post(
                "/auth/refresh", json={"refresh_token": first["refresh_token"]}
            )
            assert rotated.status_code == 200
            assert _kid(rotated.json()) == new_key.kid

        # Step 3 (after the longest access-token lifetime): retire the old key.
        retire(keys_dir, old_key.kid)
        async with deployed() as client:
            assert await _me(client, first["access_token"]) == 401
            assert await _me(client, sign(_alone(old_key), _claims(user["id"]))) == 401
            assert await _me(client, rotated.json()["access_token"]) == 200
            # The session whose access token the old key signed goes on through refresh.
            resumed = await client.post(
                "/auth/refresh", json={"refresh_token": second["refresh_token"]}
            )
            assert resumed.status_code == 200
            assert _kid(resumed.json()) == new_key.kid
            assert await _me(client, resumed.json()["access_token"]) == 200
    finally:
        mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url)
        await mongo.drop_database(database)
        await mongo.close()


async def test_unknown_kid_and_swapped_algorithms_are_refused(
    app_with: AppFactory, tmp_path: Path
) -> None:
    keys_dir = tmp_path / "jwt-keys"
    add_key(keys_dir, "EdDSA", activate=True)
    keys = read_directory(keys_dir)
    async with app_with(jwt_keys_dir=str(keys_dir)) as client:
        user = await create_user(client)
        claims = _claims(user["id"])
        assert await _me(client, sign(keys, claims)) == 200  # the control: the real key
        refused = {
            "unknown kid": sign(keys, claims, kid="no-such-key"),
            "stranger's key under a known kid": sign_with_stranger(claims, keys.active.kid),
            "HS256 keyed with the public key": hs256_with_public_key(keys, claims),
            "alg none": unsigned(keys, claims),
            "EdDSA signature labelled ES256": _relabel(sign(keys, claims), "ES256"),
        }
        for name, token in refused.items():
            assert await _me(client, token) == 401, name


def _relabel(token: str, algorithm: str) -> str:
    """The same signature under a header that names another algorithm."""
    _, payload, signature = token.split(".")
    claimed = jwt.get_unverified_header(token) | {"alg": algorithm}
    header = base64.urlsafe_b64encode(json.dumps(claimed).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"
