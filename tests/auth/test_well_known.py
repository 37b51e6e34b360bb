"""`/.well-known/jwks.json` and `/.well-known/openid-configuration`: what another service
reads to verify access tokens itself."""

from __future__ import annotations

import base64
import hashlib
import json

import httpx
import jwt

from tests.conftest import AppFactory
from tests.factories import create_user, login

PUBLIC = "https://users.example.com"


def _rfc7638(jwk: dict[str, str]) -> str:
    members = ("crv", "kty", "x", "y") if jwk["kty"] == "EC" else ("crv", "kty", "x")
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def test_jwks_publishes_public_keys_that_verify_the_service_tokens(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    keys = response.json()["keys"]
    assert keys, "the signing key is published"
    for jwk in keys:
        assert set(jwk) <= {"kty", "crv", "x", "y", "kid", "alg", "use"}  # no private "d"
        assert jwk["kid"] == _rfc7638(jwk)
        assert jwk["use"] == "sig"
    user = await create_user(client)
    token = (await login(client, user["username"]))["access_token"]
    kid = jwt.get_unverified_header(token)["kid"]
    published = jwt.PyJWKSet.from_dict(response.json())[kid]
    claims = jwt.decode(
        token, published, algorithms=[published.algorithm_name], audience="users-service"
    )
    assert claims["sub"] == user["id"]
    assert claims["iss"] == "users-service"


async def test_discovery_names_issuer_jwks_and_token_endpoint(app_with: AppFactory) -> None:
    async with app_with(
        public_base_url=PUBLIC, allowed_hosts=["testserver"], jwks_max_age_s=60
    ) as client:
        response = await client.get("/.well-known/openid-configuration")
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=60"
        document = response.json()
        assert document["issuer"] == PUBLIC
        assert document["jwks_uri"] == f"{PUBLIC}/.well-known/jwks.json"
        assert document["token_endpoint"] == f"{PUBLIC}/auth/token"
        assert document["id_token_signing_alg_values_supported"] == ["ES256"]
        jwks = await client.get("/.well-known/jwks.json")
        assert jwks.headers["cache-control"] == "public, max-age=60"
        # Tokens name the same issuer, and the public address as their audience.
        user = await create_user(client)
        token = (await login(client, user["username"]))["access_token"]
        published = jwt.PyJWKSet.from_dict(jwks.json())[jwt.get_unverified_header(token)["kid"]]
        claims = jwt.decode(token, published, algorithms=["ES256"], audience=PUBLIC, issuer=PUBLIC)
        assert claims["sub"] == user["id"]
        me = await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
