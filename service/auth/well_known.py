"""The discovery documents other services read to verify access tokens on their own.

Plain data built from the key set and the public address; the HTTP routes live in
`service.api.well_known`.
"""

from __future__ import annotations

from typing import Any

from service.auth.keys import KeySet

JWKS_PATH = "/.well-known/jwks.json"
DISCOVERY_PATH = "/.well-known/openid-configuration"
TOKEN_PATH = "/auth/token"  # noqa: S105 - a path, not a secret


def jwks_cache_control(max_age_s: int) -> str:
    """`Cache-Control` of the JWK Set: consumers may hold it for the publish-ahead window.

    A new key is published `max_age_s` before it signs (docs/tokens.md), so no consumer
    can hold a copy that lacks the signing key.
    """
    return f"public, max-age={max_age_s}"


def discovery_document(issuer: str, base_url: str, key_set: KeySet) -> dict[str, Any]:
    """The minimal OpenID Provider / RFC 8414 metadata of this service."""
    base = base_url.rstrip("/")
    return {
        "issuer": issuer,
        "jwks_uri": base + JWKS_PATH,
        "token_endpoint": base + TOKEN_PATH,
        "grant_types_supported": ["password", "refresh_token"],
        "token_endpoint_auth_methods_supported": ["none"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        # No ID tokens are issued; access tokens are signed with these algorithms.
        "id_token_signing_alg_values_supported": key_set.algorithms,
        "access_token_signing_alg_values_supported": key_set.algorithms,
    }
