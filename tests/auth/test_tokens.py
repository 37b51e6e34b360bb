"""Access tokens: every way a token can be wrong is a 401 with `WWW-Authenticate: Bearer`."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

from tests.conftest import TEST_JWT_SECRET
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


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, default=str).encode()).rstrip(b"=").decode()


async def _assert_401(client: httpx.AsyncClient, token: str) -> None:
    response = await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, token
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_token_signed_by_this_service_works(client: httpx.AsyncClient) -> None:
    user, _ = await user_session(client)
    token = jwt.encode(_claims(user["id"]), TEST_JWT_SECRET, algorithm="HS256")
    response = await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["id"] == user["id"]


async def test_forged_and_misdirected_tokens_are_refused(client: httpx.AsyncClient) -> None:
    user, _ = await user_session(client)
    uid = user["id"]
    good_secret = TEST_JWT_SECRET
    forged = jwt.encode(_claims(uid), "another-secret-" + "z" * 40, algorithm="HS256")
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(uid))}."
    hs512 = jwt.encode(_claims(uid), good_secret * 2, algorithm="HS512")
    expired = jwt.encode(
        _claims(uid, exp=datetime.now(UTC) - timedelta(seconds=5)), good_secret, algorithm="HS256"
    )
    wrong_aud = jwt.encode(_claims(uid, aud="someone-else"), good_secret, algorithm="HS256")
    wrong_iss = jwt.encode(_claims(uid, iss="evil-issuer"), good_secret, algorithm="HS256")
    no_exp = {k: v for k, v in _claims(uid).items() if k != "exp"}
    missing_exp = jwt.encode(no_exp, good_secret, algorithm="HS256")
    bad_sub = jwt.encode(_claims("not-an-object-id"), good_secret, algorithm="HS256")
    for token in (
        forged,
        unsigned,
        hs512,
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


async def test_login_response_shape_and_no_store(client: httpx.AsyncClient) -> None:
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
    claims = jwt.decode(
        body["access_token"], TEST_JWT_SECRET, algorithms=["HS256"], audience="users-service"
    )
    assert claims["sub"] == user["id"]
    assert {"exp", "iat", "jti", "iss", "aud"} <= set(claims)
    assert claims["exp"] - claims["iat"] == 900
