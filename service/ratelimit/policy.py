"""Which limit a request counts against: route groups and their limits.

Requests are sorted into groups from the method and path alone, before routing, so a
limited request costs no route matching, no body parsing and no database work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    """One route group's limit, with its header form computed once."""

    group: RouteGroup
    item: RateLimitItem

    @property
    def window_s(self) -> int:
        """The window length in seconds."""
        return int(self.item.get_expiry())
