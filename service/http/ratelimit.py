"""Rate limiting: one hit per request before routing, headers on every answer.

Applied by the service middleware (`service.http.pipeline`) inside the request deadline,
before any body is read. A bearer token it verifies to find the caller is kept in the
scope (`remember_claims`), so the authenticator does not decode it again.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.types import Scope

from service.auth.security import AccessClaims, InvalidToken, TokenCodec
from service.core.limits import parse_limit
from service.http.client_address import IPNetwork, address_key, client_address
from service.http.exchange import Exchange
from service.http.paths import ADDRESS_KEYED_GROUPS, RouteGroup
from service.http.problems import make_problem
from service.ratelimit.headers import limit_field, policy_field, whole_seconds
from service.ratelimit.limiter import Decision, RateLimiter
from service.ratelimit.policy import Policy

_BEARER = b"bearer "
# Where the verified claims of this request's bearer token are kept in the scope.
VERIFIED_TOKEN = "service.verified_token"  # noqa: S105 - a scope key, not a secret


def remember_claims(scope: Scope, token: str, claims: AccessClaims) -> None:
    """Keep the verified claims of `token` for the rest of this request."""
    scope[VERIFIED_TOKEN] = (token, claims)


def remembered_claims(scope: Scope, token: str) -> AccessClaims | None:
    """The claims `token` was verified to carry earlier in this request, if it was."""
    kept: tuple[str, AccessClaims] | None = scope.get(VERIFIED_TOKEN)
    return kept[1] if kept is not None and kept[0] == token else None


def _codec(scope: Scope) -> TokenCodec | None:
    # The lifespan state (`service.startup.state.State`) holds the app's token codec.
    state: Any = (scope.get("state") or {}).get("app")
    codec = getattr(state, "tokens", None)
    return codec if isinstance(codec, TokenCodec) else None


class RateLimitGate:
    """429 problem+json once a caller's route-group quota is spent; IETF headers always.

    Health probes, metrics and the docs are exempt (see `service.http.paths`).
    """

    def __init__(
        self,
        *,
        limiter: RateLimiter,
        policies: dict[RouteGroup, Policy],
        trusted_proxies: tuple[IPNetwork, ...],
        ipv6_prefix: int,
    ) -> None:
        self.limiter = limiter
        self.policies = policies
        self.proxies = trusted_proxies
        self.ipv6_prefix = ipv6_prefix
        self.policy_fields = {group: policy_field(p) for group, p in policies.items()}

    def identity(self, scope: Scope, by_address: bool, exchange: Exchange) -> str:
        """`user:<id>` for a valid access token, else `addr:<client address key>`.

        Address-keyed groups (account and credential routes) never look at the token: a
        token must not buy a fresh quota there. Elsewhere the token is only verified
        (signature, expiry, issuer, audience; memoised per worker by the codec), never
        looked up: counting must not cost a database read. An invalid token counts
        against the address, and the route answers 401 as usual.
        """
        authorization = exchange.authorization
        if authorization and not by_address and authorization[:7].lower() == _BEARER:
            codec = _codec(scope)
            if codec is not None:
                token = authorization[7:].decode("latin-1").strip()
                try:
                    claims = codec.decode(token)
                except InvalidToken:
                    pass
                else:
                    remember_claims(scope, token, claims)
                    return "user:" + claims.user_id
        peer = scope.get("client")
        forwarded = exchange.forwarded_for.decode("latin-1") if exchange.forwarded_for else None
        address = client_address(peer[0] if peer else None, forwarded, self.proxies)
        return "addr:" + address_key(address, self.ipv6_prefix)

    async def admit(self, scope: Scope, group: RouteGroup, exchange: Exchange) -> Response | None:
        """Count the request against its group: None to pass it on, else the 429 to send.

        Either way the rate-limit fields are set for the answer (`exchange.extra_headers`).
        """
        policy = self.policies[group]
        decision = await self.limiter.hit(policy, self.identity(scope, policy.by_address, exchange))
        headers = [(b"ratelimit-policy", self.policy_fields[group])]
        if decision is not None:
            headers.append(
                (b"ratelimit", limit_field(policy, decision.remaining, decision.reset_s))
            )
        exchange.extra_headers = headers
        if decision is None or decision.allowed:
            return None
        return self._refusal(scope, policy, decision, exchange.request_id)

    def _refusal(
        self, scope: Scope, policy: Policy, decision: Decision, request_id: str
    ) -> Response:
        self.limiter.metrics.rejected.labels(policy.group).inc()
        retry_after = whole_seconds(decision.reset_s)
        return make_problem(
            429,
            slug="rate-limited",
            title="Too Many Requests",
            detail=f"Rate limit of the {policy.group} routes ({policy.item}) reached; "
            f"retry in {retry_after} s.",
            instance=scope["path"],
            request_id=request_id,
            headers={"Retry-After": str(retry_after)},
        )


def build_policies(limits: dict[RouteGroup, str]) -> dict[RouteGroup, Policy]:
    """Policies from each group's limit string (already validated by the settings)."""
    return {
        group: Policy(group, parse_limit(text), by_address=group in ADDRESS_KEYED_GROUPS)
        for group, text in limits.items()
    }
