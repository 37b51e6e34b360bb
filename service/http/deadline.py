"""A deadline for every request: past `REQUEST_TIMEOUT_S`, a 503 problem instead of a hang.

The service middleware (`service.http.pipeline`) runs the rest of the request (the rate
limit, reading the body, the app) under `asyncio.timeout`; this also bounds slow senders.
A response that has already started cannot be replaced; the connection is then cut.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import Scope

from service.http.problems import make_problem

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def deadline_problem(scope: Scope, timeout_s: float, request_id: str | None) -> Response:
    """The 503 (with `Retry-After`) of a request that ran past its deadline."""
    detail = f"The request did not complete within {timeout_s:g} s; retry later."
    if scope["method"] not in _SAFE_METHODS:
        detail += " The change may have been applied."
    return make_problem(
        503,
        slug="request-timeout",
        title="Service Unavailable",
        detail=detail,
        instance=scope["path"],
        request_id=request_id,
        headers={"Retry-After": "1"},
    )
