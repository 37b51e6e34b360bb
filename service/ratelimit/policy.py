"""Which limit a request counts against: route groups and their limits.

Requests are sorted into groups from the method and path alone, before routing, so a
limited request costs no route matching, no body parsing and no database work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from limits import RateLimitItem

# Probes, scrapes and documentation are never limited: an orchestrator or a person
# reading the docs must not be locked out by the API's own traffic.
EXEMPT_PREFIXES = ("/health", "/metrics", "/docs", "/redoc", "/openapi.json", "/static")
_AVATAR_PATH = re.compile(r"^/users/[^/]+/avatar/?$")
_READ_METHODS = frozenset({"GET", "HEAD"})
_PREDICTIONS_PATH = re.compile(r"^/models/[^/]+/predictions/?$")


class RouteGroup(StrEnum):
    """A family of routes sharing one limit; the value names the policy in headers."""

    AUTH = "auth"
    READ = "read"
    WRITE = "write"
    AVATAR = "avatar"
    INFERENCE = "inference"


# Groups counted against the client address whatever token comes with the request: they
# create accounts, sessions and mails, so a token (cheap to get: register, log in) must
# not buy a fresh quota.
ADDRESS_KEYED_GROUPS = frozenset({RouteGroup.AUTH})


def route_group(method: str, path: str) -> RouteGroup | None:
    """The group a request counts against, or None when it is exempt.

    Auth groups everything that creates credentials or accounts: logins, refreshes,
    registrations (`POST /users`, `POST /user`) and any other `POST /auth/...` (password
    reset and verification included), because those are what guessing attacks target.
    """
    if method == "OPTIONS" or path.startswith(EXEMPT_PREFIXES) or path == "/":
        return None
    if method in _READ_METHODS:
        return RouteGroup.READ
    if method == "POST" and (path.startswith("/auth/") or path in ("/users", "/user")):
        return RouteGroup.AUTH
    if method == "PUT" and _AVATAR_PATH.match(path):
        return RouteGroup.AVATAR
    # Predictions are reads that cost CPU: a limit of their own, apart from data writes.
    if method == "POST" and _PREDICTIONS_PATH.match(path):
        return RouteGroup.INFERENCE
    return RouteGroup.WRITE


@dataclass(frozen=True)
class Policy:
    """One route group's limit, with what each hit needs computed once."""

    group: RouteGroup
    item: RateLimitItem
    amount: int = field(init=False)
    window_s: int = field(init=False)
    window_ms: int = field(init=False)
    # The store key is this prefix and the caller: a changed limit starts fresh counts.
    key_prefix: str = field(init=False)
    by_address: bool = field(init=False)

    def __post_init__(self) -> None:
        window_s = int(self.item.get_expiry())
        object.__setattr__(self, "amount", self.item.amount)
        object.__setattr__(self, "window_s", window_s)
        object.__setattr__(self, "window_ms", window_s * 1000)
        prefix = f"ratelimit:{self.group.value}:{self.item.amount}/{window_s}:"
        object.__setattr__(self, "key_prefix", prefix)
        object.__setattr__(self, "by_address", self.group in ADDRESS_KEYED_GROUPS)
