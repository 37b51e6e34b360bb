"""Pure-ASGI rate limiting: one hit per request before routing, headers on every answer."""

from __future__ import annotations

from typing import Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.core.limits import parse_limit
from service.http.client_address import IPNetwork, address_key, client_address
from service.http.context import current_request_id
from service.http.paths import ADDRESS_KEYED_GROUPS, RouteGroup, route_group
from service.http.problems import make_problem
from service.ratelimit.headers import limit_field, policy_field, whole_seconds
from service.ratelimit.limiter import Decision, RateLimiter
from service.ratelimit.policy import Policy

_BEARER = b"bearer "


class TokenSubjects(Protocol):
    """Reads the subject of a valid access token without any database read."""

    def subject(self, token: str) -> str | None:
        """The user id the token was issued to, or None when it is not valid."""


def _identity(
    scope: Scope, by_address: bool, proxies: tuple[IPNetwork, ...], ipv6_prefix: int
) -> str:
    """`user:<id>` for a valid access token, else `addr:<client address key>`.

    Address-keyed groups (account and credential routes) never look at the token: a
    token must not buy a fresh quota there. Elsewhere the token is only verified
    (signature, expiry, issuer, audience; memoised per worker by the codec), never looked
    up: counting must not cost a database read. An invalid token counts against the
    address, and the route answers 401 as usual.
    """
    authorization = forwarded_for = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value
        elif name == b"x-forwarded-for":
            forwarded_for = value
    if authorization and not by_address and authorization[:7].lower() == _BEARER:
        # The lifespan state (`service.startup.state.State`) holds the app's token codec.
        tokens: TokenSubjects | None = getattr(
            (scope.get("state") or {}).get("app"), "tokens", None
        )
        if tokens is not None:
            subject = tokens.subject(authorization[7:].decode("latin-1").strip())
            if subject is not None:
                return "user:" + subject
    peer = scope.get("client")
    forwarded = forwarded_for.decode("latin-1") if forwarded_for else None
    address = client_address(peer[0] if peer else None, forwarded, proxies)
    return "addr:" + address_key(address, ipv6_prefix)


class RateLimitMiddleware:
    """429 problem+json once a caller's route-group quota is spent; IETF headers always.

    Health probes, metrics and the docs are exempt (see `service.http.paths`).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        policies: dict[RouteGroup, Policy],
        trusted_proxies: tuple[IPNetwork, ...],
        ipv6_prefix: int,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.policies = policies
        self.proxies = trusted_proxies
        self.ipv6_prefix = ipv6_prefix
        self.policy_fields = {group: policy_field(p) for group, p in policies.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the request against its group; refuse it or pass it on with the headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        group = route_group(scope["method"], scope["path"])
        if group is None:
            await self.app(scope, receive, send)
            return
        policy = self.policies[group]
        identity = _identity(scope, policy.by_address, self.proxies, self.ipv6_prefix)
        decision = await self.limiter.hit(policy, identity)
        headers = [(b"ratelimit-policy", self.policy_fields[group])]
        if decision is not None:
            headers.append(
                (b"ratelimit", limit_field(policy, decision.remaining, decision.reset_s))
            )
            if not decision.allowed:
                await self._refuse(scope, receive, send, policy, decision, headers)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        policy: Policy,
        decision: Decision,
        headers: list[tuple[bytes, bytes]],
    ) -> None:
        self.limiter.metrics.rejected.labels(policy.group).inc()
        retry_after = whole_seconds(decision.reset_s)
        response = make_problem(
            429,
            slug="rate-limited",
            title="Too Many Requests",
            detail=f"Rate limit of the {policy.group} routes ({policy.item}) reached; "
            f"retry in {retry_after} s.",
            instance=scope["path"],
            request_id=current_request_id(),
            headers={"Retry-After": str(retry_after)},
        )
        response.raw_headers.extend(headers)
        await response(scope, receive, send)


def build_policies(limits: dict[RouteGroup, str]) -> dict[RouteGroup, Policy]:
    """Policies from each group's limit string (already validated by the settings)."""
    return {
        group: Policy(group, parse_limit(text), by_address=group in ADDRESS_KEYED_GROUPS)
        for group, text in limits.items()
    }
