"""Pure-ASGI middleware: request context (id, caller, ETag key), access log, the last-resort
500 handler, HEAD.

Pure ASGI rather than `BaseHTTPMiddleware`, which runs the app in another task and so
loses context variables (and costs a task switch per request).
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.http.caching import bind_etag_key, unbind_etag_key
from service.http.problems import make_problem
from service.http.response_watch import ResponseWatch
from service.observability.logging import log_access

log = structlog.get_logger(__name__)

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_user_id: ContextVar[str | None] = ContextVar("user_id", default=None)
# Client-supplied ids are echoed into logs and headers, so only a safe alphabet is accepted.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]+$")


def current_request_id() -> str | None:
    """Return the id of the request being handled, if any."""
    return _request_id.get()


def bind_user_id(user_id: str) -> None:
    """Record who is calling so the access log line names them."""
    _user_id.set(user_id)
    structlog.contextvars.bind_contextvars(user_id=user_id)


def _accepted_request_id(raw: bytes | None, max_length: int) -> str:
    if raw:
        candidate = raw.decode("latin-1")
        if len(candidate) <= max_length and _SAFE_REQUEST_ID.match(candidate):
            return candidate
    return uuid.uuid4().hex


_NOSNIFF = (b"x-content-type-options", b"nosniff")


def _with_common_headers(headers: list[tuple[bytes, bytes]], request_id: bytes) -> list[Any]:
    # `nosniff` on every response, once: a route that already set it keeps its own.
    common = [(b"x-request-id", request_id)]
    if not any(name.lower() == _NOSNIFF[0] for name, _ in headers):
        common.append(_NOSNIFF)
    return [*headers, *common]


class _StampedResponse(ResponseWatch):
    """The response watch that also adds the request id (and `nosniff`) to the head."""

    __slots__ = ("request_id",)

    def __init__(self, send: Send, request_id: bytes) -> None:
        super().__init__(send)
        self.request_id = request_id

    def on_start(self, message: Message) -> None:
        """Add the common headers to the response head."""
        message["headers"] = _with_common_headers(message.get("headers", []), self.request_id)


def _route_template(scope: Scope) -> str | None:
    route = scope.get("route")
    # The format leaves out path convertors: `{id}` as documented, not `{id:objectid}`.
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) else None


class RequestContextMiddleware:
    """Binds a request id to every log line, echoes it, logs one access event per request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_request_id_length: int = 128,
        access_log: bool = True,
        etag_key: bytes | None = None,
    ):
        self.app = app
        self.max_request_id_length = max_request_id_length
        self.access_log = access_log
        # The app's entity-tag key, bound for each request (`service.http.caching`).
        self.etag_key = etag_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one HTTP request; other scope types pass straight through."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        raw_id = next((v for k, v in scope["headers"] if k == b"x-request-id"), None)
        request_id = _accepted_request_id(raw_id, self.max_request_id_length)
        id_token = _request_id.set(request_id)
        user_token = _user_id.set(None)
        key_token = bind_etag_key(self.etag_key) if self.etag_key is not None else None
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response = _StampedResponse(send, request_id.encode())
        try:
            await self.app(scope, receive, response.send)
        except Exception:
            # The app has no handler for this: it is a bug. Log it with the trace, answer
            # with a problem body that reveals nothing of the internals.
            log.exception("request.failed")
            # Logged as the 500 it is, even when a head with another status went out.
            response.status = 500
            if not response.started:
                problem = make_problem(
                    500,
                    slug="internal-error",
                    detail="An unexpected error occurred; it has been logged.",
                    instance=scope.get("path"),
                    request_id=request_id,
                )
                await problem(scope, receive, response.send)
        finally:
            if self.access_log:
                client = scope.get("client")
                log_access(
                    request_id=request_id,
                    method=scope["method"],
                    route=_route_template(scope),
                    path=scope["path"],
                    status=response.status,
                    duration_ms=round(response.elapsed_s() * 1000, 3),
                    user_id=_user_id.get(),
                    client=f"{client[0]}:{client[1]}" if client else None,
                )
            structlog.contextvars.clear_contextvars()
            if key_token is not None:
                unbind_etag_key(key_token)
            _user_id.reset(user_token)
            _request_id.reset(id_token)


def copy_back(inner: Scope, outer: Scope, *, keep: tuple[str, ...] = ()) -> None:
    """Copy into `outer` what the app wrote into `inner`, a copy of it, except `keep`.

    A middleware that hands the app a changed copy of the scope must call this once the
    app returns: the router records its choice (`route`, `endpoint`, `path_params`) in the
    scope it is given, and the metrics and the access log read it from theirs.
    """
    for key, value in inner.items():
        if key not in keep:
            outer[key] = value


class HeadMiddleware:
    """Answers `HEAD` wherever `GET` is answered, as RFC 9110 asks: the request is routed as
    a `GET` and the response keeps its status and headers (`Content-Length` included) but
    sends no body. One place for every route, so uptime checkers can `HEAD` anything, and
    the OpenAPI document lists only the `GET` (HEAD is implied by it).

    The app gets a copy of the scope: the server and the middleware outside still see the
    `HEAD` a client sent (uvicorn expects no body for it; the access log records it), and
    everything the app wrote into the copy (the router's `route`, `endpoint`,
    `path_params`) is copied back for the metrics and the access log.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route a HEAD as a GET and drop the body it would have had."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        as_get = {**scope, "method": "GET"}
        try:
            await self.app(as_get, receive, send_without_body)
        finally:
            copy_back(as_get, scope, keep=("method",))
