"""The one table of path patterns every middleware reads, before any route matching.

A new upload route, a new exempt prefix or a new rate-limit group is one edit here: the
body limit (`body_limit`), the rate-limit policy (`ratelimit`), the metrics
(`service.observability.metrics`) and the host check (`hosts`) all read this module.
"""

from __future__ import annotations

import re
from enum import StrEnum

# Not the API: probes, scrapes and documentation. Never rate limited, never counted in
# the HTTP metrics: an orchestrator or a person reading the docs must not be locked out
# by the API's own traffic, nor skew its numbers.
OPERATIONS_PREFIXES = ("/health", "/metrics", "/docs", "/redoc", "/openapi.json", "/static")
# Kubelet probes and Prometheus address pods by IP; these routes write no URLs, so the
# Host header is not checked on them.
UNCHECKED_HOST_PREFIXES = ("/health", "/metrics")

# Uploads, each with a body limit of its own: PUT an avatar, POST an ONNX model version.
AVATAR_UPLOAD = re.compile(r"^/users/[^/]+/avatar/?$")
MODEL_UPLOAD = re.compile(r"^/models/[^/]+/versions/?$")
# Registration, and its deprecated singular alias: both may carry a multipart avatar.
REGISTRATION_PATHS = frozenset({"/users", "/user"})
# The pages mailed links open (`service.api.pages`): their forms redeem account tokens.
ACCOUNT_PAGES_PREFIX = "/account/"
# Second-factor changes check passwords and codes: they count with the logins.
SECOND_FACTOR = re.compile(r"^/users/[^/]+/second-factor(/.*)?$")
PREDICTIONS = re.compile(r"^/models/[^/]+/predictions/?$")
_READ_METHODS = frozenset({"GET", "HEAD"})


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
    """The rate-limit group a request counts against, or None when it is exempt.

    Auth groups everything that creates credentials or accounts: logins, refreshes,
    registrations (`POST /users`, `POST /user`), any other `POST /auth/...` (password
    reset and verification included) and the forms of the account pages
    (`POST /account/...`), because those are what guessing attacks target. Showing a page
    (`GET`) is a read.
    reset, verification and the second step of a login included) and the second-factor
    changes (`POST /users/me/second-factor/...`), because those are what guessing
    attacks target.
    """
    if method == "OPTIONS" or path.startswith(OPERATIONS_PREFIXES) or path == "/":
        return None
    if method in _READ_METHODS:
        return RouteGroup.READ
    if method == "POST" and (
        path.startswith(("/auth/", ACCOUNT_PAGES_PREFIX))
        or path in REGISTRATION_PATHS
        or SECOND_FACTOR.match(path)
    ):
        return RouteGroup.AUTH
    if method == "PUT" and AVATAR_UPLOAD.match(path):
        return RouteGroup.AVATAR
    # Predictions are reads that cost CPU: a limit of their own, apart from data writes.
    if method == "POST" and PREDICTIONS.match(path):
        return RouteGroup.INFERENCE
    return RouteGroup.WRITE
