"""The service's middleware: every per-request concern in one pure-ASGI pass.

In order, for each HTTP request, over one reading of the request head and one `Exchange`
(`service.http.exchange`) shared by every step:

1. request context: the request id (accepted from `X-Request-ID` or made), bound to the
   log lines, the entity-tag key and the response head;
2. host check: a Host outside `ALLOWED_HOSTS` is a 400; `PUBLIC_BASE_URL` rewrites the
   origin the app sees;
3. (CORS, when configured: Starlette's middleware, so the refusals below carry it;)
4. deadline: past `REQUEST_TIMEOUT_S`, a 503 instead of a hang (the rest runs inside it);
5. rate limit: one hit on the request's route group (`service.http.paths`), the verified
   token kept for the authenticator so it is decoded once per request;
6. body size limit: a declared or streamed body over its route's limit is a 413;
7. HEAD: routed as GET, answered without a body;
8. then, once answered: the HTTP metrics and one access line.

One middleware instead of a stack: each layer of a stack re-reads the scope and headers,
wraps `send` once more and adds an await per request.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from random import getrandbits

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from service.core.db_deadline import database_deadline_scope
from service.http.body_limit import BodyLimits, BodyTooLarge, CountingReceive, reject
from service.http.deadline import deadline_problem
from service.http.exchange import Exchange, copy_back, current_exchange, route_template
from service.http.hosts import HostPolicy, host_refusal
from service.http.paths import route_group
from service.http.problems import make_problem
from service.http.ratelimit import RateLimitGate
from service.observability.logging import log_access
from service.observability.metrics import HttpMetrics

log = structlog.get_logger(__name__)
bind_contextvars = structlog.contextvars.bind_contextvars
clear_contextvars = structlog.contextvars.clear_contextvars

# Client-supplied ids are echoed into logs and headers, so only a safe alphabet is accepted.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]+$")
# Wraps the inner steps (4-7) in another ASGI app, such as CORS.
Wrapper = Callable[[ASGIApp], ASGIApp]


class ServiceMiddleware:
    """The request pipeline; each optional step is off when its part is not given."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_request_id_length: int = 128,
        access_log: bool = True,
        etag_key: bytes | None = None,
        hosts: HostPolicy | None = None,
        timeout_s: float | None = None,
        rate_limit: RateLimitGate | None = None,
        body_limits: BodyLimits | None = None,
        metrics: HttpMetrics | None = None,
        wrap_inner: Wrapper | None = None,
    ) -> None:
        self.app = app
        self.max_request_id_length = max_request_id_length
        self.access_log = access_log
        self.etag_key = etag_key
        self.hosts = hosts
        self.timeout_s = timeout_s
        self.rate_limit = rate_limit
        self.body_limits = body_limits
        self.metrics = metrics
        self.inner: ASGIApp = self._inner if wrap_inner is None else wrap_inner(self._inner)

    def _request_id(self, raw: bytes | None) -> str:
        if raw:
            candidate = raw.decode("latin-1")
            if len(candidate) <= self.max_request_id_length and _SAFE_REQUEST_ID.match(candidate):
                return candidate
        # 128 random bits in the form of `uuid4().hex`, without its system call: an id
        # names a request in logs, it guards nothing.
        return f"{getrandbits(128):032x}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one HTTP request; websockets get the host check, the rest passes through."""
        if scope["type"] != "http":
            if scope["type"] == "websocket" and self.hosts is not None:
                exchange = Exchange(send, None)
                exchange.read_head(scope["headers"])
                if not self.hosts.admits(scope, exchange.host):
                    await host_refusal(scope, None)(scope, receive, send)
                    return
            await self.app(scope, receive, send)
            return
        exchange = Exchange(send, self.etag_key)
        exchange.request_id = self._request_id(exchange.read_head(scope["headers"]))
        context = current_exchange.set(exchange)
        clear_contextvars()
        bind_contextvars(request_id=exchange.request_id)
        try:
            # The app sets the request's database deadline (`core.db_deadline`); it ends here.
            with database_deadline_scope():
                if self.hosts is not None and not self.hosts.admits(scope, exchange.host):
                    await host_refusal(scope, exchange.request_id)(scope, receive, exchange.send)
                else:
                    await self.inner(scope, receive, exchange.send)
        except Exception:
            # The app has no handler for this: it is a bug. Log it with the trace, answer
            # with a problem body that reveals nothing of the internals.
            log.exception("request.failed")
            if not exchange.started:
                exchange.extra_headers = []
                problem = make_problem(
                    500,
                    slug="internal-error",
                    detail="An unexpected error occurred; it has been logged.",
                    instance=scope.get("path"),
                    request_id=exchange.request_id,
                )
                await problem(scope, receive, exchange.send)
            # Logged as the 500 it is, even when a head with another status went out.
            exchange.status = 500
        finally:
            self._answered(scope, exchange)
            clear_contextvars()
            current_exchange.reset(context)

    def _answered(self, scope: Scope, exchange: Exchange) -> None:
        template = route_template(scope)
        if self.metrics is not None:
            self.metrics.record(template, scope["method"], exchange.status, exchange.elapsed_s())
        if self.access_log:
            client = scope.get("client")
            log_access(
                request_id=exchange.request_id,
                method=scope["method"],
                route=template,
                path=scope["path"],
                status=exchange.status,
                duration_ms=round(exchange.elapsed_s() * 1000, 3),
                user_id=exchange.user_id,
                client=f"{client[0]}:{client[1]}" if client else None,
            )

    async def _inner(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Steps 4-7: the deadline around the rate limit, the body limit and the app."""
        if self.timeout_s is None:
            await self._limited(scope, receive, send)
            return
        deadline = asyncio.timeout(self.timeout_s)
        try:
            async with deadline:
                await self._limited(scope, receive, send)
        except TimeoutError:
            if not deadline.expired():
                raise  # the app's own timeout, not ours
            log.warning("request.deadline_exceeded", timeout_s=self.timeout_s)
            exchange = current_exchange.get()
            if exchange is None or exchange.started:
                raise
            # Refused by the deadline, outside the rate limit: no rate-limit fields.
            exchange.extra_headers = []
            await deadline_problem(scope, self.timeout_s, exchange.request_id)(scope, receive, send)

    async def _limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        exchange = current_exchange.get()
        assert exchange is not None  # noqa: S101 - set by __call__ for every HTTP request
        method = scope["method"]
        if self.rate_limit is not None:
            group = route_group(method, scope["path"])
            if group is not None:
                refusal = await self.rate_limit.admit(scope, group, exchange)
                if refusal is not None:
                    await refusal(scope, receive, send)
                    return
        limit = None
        if self.body_limits is not None:
            limit = self.body_limits.limit(method, scope["path"], exchange.content_type)
            if BodyLimits.declared_over(exchange.content_length, limit):
                await reject(scope, receive, send, limit, exchange.request_id)
                return
            receive = CountingReceive(receive, limit).receive
        if method == "HEAD":
            # Routed as a GET in a copy of the scope (the server and the access log keep the
            # HEAD a client sent); what the router wrote in the copy is copied back.
            exchange.drop_body = True
            as_get = {**scope, "method": "GET"}
            try:
                await self._app(as_get, receive, send, limit, exchange)
            finally:
                copy_back(as_get, scope, keep=("method",))
            return
        await self._app(scope, receive, send, limit, exchange)

    async def _app(
        self, scope: Scope, receive: Receive, send: Send, limit: int | None, exchange: Exchange
    ) -> None:
        if limit is None:
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except BodyTooLarge:
            if exchange.started:
                raise
            await reject(scope, receive, send, limit, exchange.request_id)
