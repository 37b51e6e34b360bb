"""The IETF rate-limit header fields, draft-ietf-httpapi-ratelimit-headers-09 syntax.

Both fields are Structured Field Lists (RFC 9651) whose items are the policy name as a
String with parameters:

    RateLimit-Policy: "read";q=600;w=60      quota q requests per window of w seconds
    RateLimit: "read";r=599;t=42             r requests remain, the window resets in t s

No `pk` (partition key) parameter is sent: it would echo the caller's user id or address.
"""

from __future__ import annotations

import math

from service.ratelimit.policy import Policy


def policy_field(policy: Policy) -> bytes:
    """The `RateLimit-Policy` value of a policy."""
    return f'"{policy.group}";q={policy.item.amount};w={policy.window_s}'.encode()


def limit_field(policy: Policy, remaining: int, reset_s: float) -> bytes:
    """The `RateLimit` value: what remains and whole seconds until the window resets."""
    return f'"{policy.group}";r={max(remaining, 0)};t={whole_seconds(reset_s)}'.encode()


def whole_seconds(seconds: float) -> int:
    """Seconds rounded up and at least 1, so a client that waits that long is admitted."""
    return max(1, math.ceil(seconds))
