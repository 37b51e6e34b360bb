"""A deadline for every request: past `REQUEST_TIMEOUT_S`, a 503 problem instead of a hang."""

from __future__ import annotations

import asyncio

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from service.http.context import current_request_id
from service.http.problems import make_problem
from service.http.response_watch import ResponseWatch

log = structlog.get_logger(__name__)

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class DeadlineMiddleware:
    """Cancels a request that runs past `timeout_s` and answers 503 with `Retry-After`.

    This also bounds slow senders: reading the body happens inside the deadline. A
    response that has already started cannot be replaced; the connection is then cut.
    """

    def __init__(self, app: ASGIApp, *, timeout_s: float) -> None:
        self.app = app
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request under the deadline."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response = ResponseWatch(send)
        deadline = asyncio.timeout(self.timeout_s)
        try:
            async with deadline:
                await self.app(scope, receive, response.send)
        except TimeoutError:
            if not deadline.expired():
                raise  # the app's own timeout, not ours
            log.warning("request.deadline_exceeded", timeout_s=self.timeout_s)
            if response.started:
                raise
            detail = f"The request did not complete within {self.timeout_s:g} s; retry later."
            if scope["method"] not in _SAFE_METHODS:
                detail += " The change may have been applied."
            problem = make_problem(
                503,
                slug="request-timeout",
                title="Service Unavailable",
                detail=detail,
                instance=scope["path"],
                request_id=current_request_id(),
                headers={"Retry-After": "1"},
            )
            await problem(scope, receive, send)
