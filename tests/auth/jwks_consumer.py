"""A second service, as another team would write it: it knows only the users service's
JWKS URL (plus the `iss` and `aud` to expect) and verifies access tokens on its own."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


class CountingJWKClient(jwt.PyJWKClient):
    """PyJWT's JWKS client, counting the JWK Set downloads it really makes over HTTP."""

    fetches = 0

    def fetch_data(self) -> Any:
        """Download the JWK Set (and count it)."""
        self.fetches += 1
        return super().fetch_data()


def consumer_app(jwks_url: str, issuer: str, audience: str) -> tuple[Starlette, CountingJWKClient]:
    """`GET /whoami`: the token's subject, or 401 for any token that does not verify."""
    keys = CountingJWKClient(jwks_url, cache_jwk_set=True, lifespan=300)

    async def whoami(request: Request) -> JSONResponse:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            # urllib underneath: off the event loop.
            key = await anyio.to_thread.run_sync(keys.get_signing_key_from_jwt, token)
            claims = jwt.decode(
                token,
                key,
                algorithms=[key.algorithm_name],  # the key's algorithm, never the token's
                issuer=issuer,
                audience=audience,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            return JSONResponse({"refused": type(exc).__name__}, status_code=401)
        return JSONResponse({"sub": claims["sub"]})

    return Starlette(routes=[Route("/whoami", whoami)]), keys
