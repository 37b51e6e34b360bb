"""Access tokens: every way a token can be wrong is a 401 with `WWW-Authenticate: Bearer`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

from service.core.config import Settings
from tests.auth.signing import hs256_with_public_key, sign, sign_with_stranger, suite_keys, unsigned
from tests.factories import bearer, login, user_session


def _claims(user_id: str, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": user_id,
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "jti": "test-jti",
        "iss": "users-service",
        "aud": "users-service",
        "ver": 0,
        "sid": "s",
    }
    claims.update(overrides)
    return claims


async def _assert_401(client: httpx.AsyncClient, token: str) -> None:
    response = await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, token
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_token_signed_by_this_service_works(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    user, _ = await user_session(client)
    token = sign(suite_keys(settings), _claims(user["id"]))
    response = await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["id"] == user["id"]


async def test_forged_and_misdirected_tokens_are_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    user, _ = await user_session(client)
    uid = user["id"]
    keys = suite_keys(settings)
    forged = sign_with_stranger(_claims(uid), keys.active.kid)
    no_kid = jwt.encode(_claims(uid), keys.signer, algorithm=keys.active.algorithm)
    expired = sign(keys, _claims(uid, exp=datetime.now(UTC) - timedelta(seconds=5)))
    wrong_aud = sign(keys, _claims(uid, aud="someone-else"))
    wrong_iss = sign(keys, _claims(uid, iss="evil-issuer"))
    no_exp = {k: v for k, v in _claims(uid).items() if k != "exp"}
    missing_exp = sign(keys, no_exp)
    bad_sub = sign(keys, _claims("not-an-object-id"))
    for token in (
        forged,
        no_kid,
        unsigned(keys, _claims(uid)),
        hs256_with_public_key(keys, _claims(uid)),
        expired,
        wrong_aud,
        wrong_iss,
        missing_exp,
        bad_sub,
        "garbage",
        "",
    ):
        await _assert_401(client, token)
    missing = await client.get("/users/me")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    basic = await client.get("/users/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status_code == 401


async def test_token_of_a_deleted_user_is_refused(client: httpx.AsyncClient) -> None:
    user, auth = await user_session(client)
    assert (await client.delete(f"/users/{user['id']}", headers=auth)).status_code == 204
    await _assert_401(client, auth["Authorization"].removeprefix("Bearer "))


async def test_logout_all_voids_outstanding_access_and_refresh_tokens(
    client: httpx.AsyncClient,
) -> None:
    user, _ = await user_session(client)
    first = await login(client, user["username"])
    second = await login(client, user["username"])
    assert (await client.post("/auth/logout-all", headers=bearer(first))).status_code == 204
    for tokens in (first, second):
        await _assert_401(client, tokens["access_token"])
        refreshed = await client.post(
            "/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert refreshed.status_code == 401
    fresh = await login(client, user["username"])
    assert (await client.get("/users/me", headers=bearer(fresh))).status_code == 200


async def test_login_response_shape_and_no_store(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    user, _ = await user_session(client)
    response = await client.post(
        "/auth/token", data={"username": user["email"].upper(), "password": "test-password-1234"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert response.headers["cache-control"] == "no-store"
    keys = suite_keys(settings)
    assert jwt.get_unverified_header(body["access_token"])["kid"] == keys.active.kid
    claims = jwt.decode(
        body["access_token"], keys.active.public, algorithms=["ES256"], audience="users-service"
    )
    assert claims["sub"] == user["id"]
    assert {"exp", "iat", "jti", "iss", "aud"} <= set(claims)
    assert claims["exp"] - claims["iat"] == 900
