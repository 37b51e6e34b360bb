"""One request's shared state in the middleware: who it is, what its answer has been so far.

The service middleware (`service.http.pipeline`) makes one `Exchange` per request and
hands `exchange.send` inward instead of the server's `send`. Every concern that needs the
response head (its status for the metrics and the access log, the request id and
`nosniff` stamped on it, the rate-limit fields, a HEAD's dropped body) reads or changes
it here, in one wrapper, instead of one `send` wrapper per middleware.
"""

from __future__ import annotations

from contextvars import ContextVar
from time import perf_counter

from starlette.types import Message, Scope, Send

Headers = list[tuple[bytes, bytes]]
_NOSNIFF = b"x-content-type-options"
_NOSNIFF_FIELD = (_NOSNIFF, b"nosniff")


class Exchange:
    """The state one request shares across the middleware's steps, and its `send`.

    A slotted object whose bound method is the new `send`, rather than a closure over
    `nonlocal` variables: fewer allocations, on a path every request takes.
    """

    __slots__ = (
        "_send",
        "authorization",
        "began_at",
        "content_length",
        "content_type",
        "drop_body",
        "etag_key",
        "extra_headers",
        "forwarded_for",
        "host",
        "request_id",
        "started",
        "status",
        "user_id",
    )

    def __init__(self, send: Send, etag_key: bytes | None) -> None:
        self._send = send
        self.etag_key = etag_key
        self.request_id = ""
        # The request header fields the middleware reads, found in one pass (`read_head`).
        self.host: bytes | None = None
        self.authorization: bytes | None = None
        self.forwarded_for: bytes | None = None
        self.content_length: bytes | None = None
        self.content_type: bytes | None = None
        # Who is calling, once the authenticator knows: the access line names them.
        self.user_id: str | None = None
        # Until a response head is sent, the request counts as failed.
        self.status = 500
        self.started = False
        # Fields the answer of the app carries besides the common ones (rate-limit fields).
        self.extra_headers: Headers = []
        self.drop_body = False  # a HEAD: the head as for GET, no body
        self.began_at = perf_counter()

    async def send(self, message: Message) -> None:
        """Stamp the response head, record its status; drop a HEAD's body; send it on."""
        if message["type"] == "http.response.start":
            self.started = True
            self.status = message["status"]
            headers: Headers = message.get("headers", [])
            # `nosniff` on every response, once: a route that already set it keeps its own.
            stamped = [*headers, *self.extra_headers, (b"x-request-id", self.request_id.encode())]
            if not any(name.lower() == _NOSNIFF for name, _ in headers):
                stamped.append(_NOSNIFF_FIELD)
            message["headers"] = stamped
        elif self.drop_body and message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await self._send(message)

    def read_head(self, headers: Headers) -> bytes | None:
        """Keep the header fields the middleware reads; return `X-Request-ID`'s value.

        One pass over the (lower-case, as ASGI servers give them) names, instead of one
        search per middleware. Of a repeated field, the host and the request id keep the
        first value, the others the last (as each step always read them).
        """
        request_id = None
        for name, value in headers:
            if name == b"host":
                self.host = self.host or value
            elif name == b"authorization":
                self.authorization = value
            elif name == b"x-request-id":
                request_id = request_id or value
            elif name == b"content-length":
                self.content_length = value
            elif name == b"content-type":
                self.content_type = value
            elif name == b"x-forwarded-for":
                self.forwarded_for = value
        return request_id

    def elapsed_s(self) -> float:
        """Seconds since the middleware took the request."""
        return perf_counter() - self.began_at


# The exchange of the request being handled in this context (None outside a request).
current_exchange: ContextVar[Exchange | None] = ContextVar("exchange", default=None)


def route_template(scope: Scope) -> str | None:
    """The path template of the route the router chose for this request, if any; as
    documented, without path convertors (`{passkey_id}`, not `{passkey_id:objectid}`)."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) else None


def copy_back(inner: Scope, outer: Scope, *, keep: tuple[str, ...] = ()) -> None:
    """Copy into `outer` what the app wrote into `inner`, a copy of it, except `keep`.

    A step that hands the app a changed copy of the scope must call this once the app
    returns: the router records its choice (`route`, `endpoint`, `path_params`) in the
    scope it is given, and the metrics and the access log read it from the original.
    """
    for key, value in inner.items():
        if key not in keep:
            outer[key] = value
