"""`/.well-known/` routes: the public keys and the discovery document of access tokens.

Other services and gateways read these once per cache lifetime and then verify tokens
locally, without calling this service per request (docs/tokens.md).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from service.api.declared_routes import declared
from service.api.deps import Codec, SettingsDep
from service.auth.well_known import (
    DISCOVERY_PATH,
    JWKS_PATH,
    discovery_document,
    jwks_cache_control,
)
from service.http.routing import ServiceRoute

router = APIRouter(tags=["auth"], route_class=declared(ServiceRoute))


@router.get(
    JWKS_PATH,
    summary="Public keys of access tokens (JWK Set)",
    description="The public half of every key an access token may be signed with, each "
    "named by its `kid` (RFC 7638 thumbprint). Cacheable for `JWKS_MAX_AGE_S` seconds: "
    "a new key is published at least that long before it signs.",
)
async def jwks(codec: Codec, settings: SettingsDep, response: Response) -> dict[str, Any]:
    """The JWK Set of the access-token keys (public members only)."""
    response.headers["Cache-Control"] = jwks_cache_control(settings.jwks_max_age_s)
    return codec.keys.jwks()


@router.get(
    DISCOVERY_PATH,
    summary="Discovery document (issuer, JWKS URL, token endpoint, algorithms)",
    description="Minimal OpenID Provider metadata (RFC 8414 subset) for gateways and "
    "services that verify access tokens themselves.",
)
async def openid_configuration(
    codec: Codec, settings: SettingsDep, request: Request, response: Response
) -> dict[str, Any]:
    """The issuer, `jwks_uri`, token endpoint and signing algorithms of this service."""
    response.headers["Cache-Control"] = jwks_cache_control(settings.jwks_max_age_s)
    base_url = settings.public_base_url or str(request.base_url)
    return discovery_document(codec.issuer, base_url, codec.keys)
