"""Limits enforced while uvicorn reads a request, before the app sees it.

uvicorn's httptools protocol accepts a request head of any size and any number of
header fields, and waits forever for a head that trickles in (its keep-alive timer
stops at the first byte). `LimitedHttpToolsProtocol` adds, per connection:

- a cap on the bytes of the request head (request line + fields) while it is being
  received, so memory per connection is bounded: `431` problem+json, connection closed;
- a cap on the number of header fields: `431` as well;
- a deadline for the head, from the connection's opening or the head's first byte:
  `408` problem+json (or a silent close if nothing arrived);
- `--limit-concurrency` answered with a `503` problem body with `Retry-After`;
- a request the parser rejects answered with a `400` problem body (uvicorn's is text).

The body's pace is bounded by the per-request deadline (`service/http/deadline.py`).
"""

from __future__ import annotations

import asyncio
import functools
from http import HTTPStatus
from typing import Any

import orjson
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from service.core.config import Settings, get_settings
from service.http.problems import PROBLEM_MEDIA_TYPE, make_problem, problem_type


def problem_bytes(
    status: int, slug: str, detail: str, extra: dict[str, str] | None = None
) -> bytes:
    """A complete HTTP/1.1 problem+json response that closes the connection."""
    body = orjson.dumps(
        {
            "type": problem_type(slug),
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        }
    )
    head = [
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
        f"content-type: {PROBLEM_MEDIA_TYPE}",
        f"content-length: {len(body)}",
        "connection: close",
        *(f"{name}: {value}" for name, value in (extra or {}).items()),
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


@functools.cache
def _responses(max_bytes: int, max_headers: int, timeout_s: float) -> dict[str, bytes]:
    return {
        "head_too_large": problem_bytes(
            431, "request-header-too-large", f"The request head exceeds {max_bytes} bytes."
        ),
        "too_many_headers": problem_bytes(
            431,
            "request-header-too-large",
            f"The request has more than {max_headers} header fields.",
        ),
        "head_timeout": problem_bytes(
            408, "request-timeout", f"The request head did not arrive within {timeout_s:g} s."
        ),
    }


async def _overloaded(scope: Any, receive: Any, send: Any) -> None:
    response = make_problem(
        503,
        slug="overloaded",
        title="Service Unavailable",
        detail="The server is at its concurrency limit; retry shortly.",
        instance=scope.get("path"),
        headers={"Retry-After": "1"},
    )
    await response(scope, receive, send)


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with head-size, field-count and head-time limits."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        settings: Settings = get_settings()
        self.max_head_bytes = settings.server_max_header_bytes
        self.max_headers = settings.server_max_headers
        self.head_timeout_s = settings.server_header_timeout_s
        self.responses = _responses(self.max_head_bytes, self.max_headers, self.head_timeout_s)
        # uvicorn's own concurrency check answers in plain text; ours swaps in a problem.
        self.concurrency_limit, self.limit_concurrency = self.limit_concurrency, None
        self.real_app = self.app
        self.in_head = True
        self.head_bytes = 0
        self.header_count = 0
        self.parsed_head_bytes = 0
        self.refused = False
        self.head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request head."""
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the head clock with the connection."""
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Count head bytes before the parser buffers them; refuse past the cap."""
        if self.refused:
            return
        if self.in_head:
            self.head_bytes += len(data)
            if self.head_timer is None:
                self._arm_head_timer()
        super().data_received(data)
        # Only bytes still in an unfinished head count: a chunk that also carried the
        # end of the head and some body was forgiven by on_headers_complete.
        if not self.refused and self.in_head and self.head_bytes > self.max_head_bytes:
            self._refuse("head_too_large")

    def on_message_begin(self) -> None:
        """A new request: its fields and head bytes are counted from zero."""
        self.header_count = 0
        self.parsed_head_bytes = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        """Count the request target toward the head's size."""
        self.parsed_head_bytes += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        """Record a field unless there are already too many."""
        self.header_count += 1
        self.parsed_head_bytes += len(name) + len(value) + 4  # ": " and CRLF
        if self.header_count <= self.max_headers:
            super().on_header(name, value)

    def on_headers_complete(self) -> None:
        """The head is in: refuse it, or hand the request to the app (or to the 503)."""
        self.in_head = False
        self.head_bytes = 0
        self._cancel_head_timer()
        # A head that arrived in one read is only measured here, once parsed.
        if self.parsed_head_bytes > self.max_head_bytes:
            self._refuse("head_too_large")
            return
        if self.header_count > self.max_headers:
            self._refuse("too_many_headers")
            return
        limit = self.concurrency_limit
        busy = limit is not None and (len(self.connections) >= limit or len(self.tasks) >= limit)
        self.app = _overloaded if busy else self.real_app
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        """Pass body bytes on, unless the request was refused."""
        if not self.refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        """The next bytes on this connection are the next request's head."""
        if self.refused:
            return
        self.in_head = True
        self.head_bytes = 0
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        """A request the parser cannot read (bad request line, `Content-Length`, header
        bytes) is a `400` problem document like every other error, not uvicorn's text."""
        self.refused = True
        self._cancel_head_timer()
        self.transport.write(problem_bytes(400, "malformed-request", msg))
        self.transport.close()

    def _refuse(self, reason: str) -> None:
        self.refused = True
        self._cancel_head_timer()
        # A response to an earlier request may still be in flight on this connection
        # (pipelining); writing ours then would corrupt it, so only close.
        if self.cycle is None or self.cycle.response_complete:
            self.transport.write(self.responses[reason])
        self.transport.close()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self.head_timer = self.loop.call_later(self.head_timeout_s, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if self.refused or not self.in_head or self.transport.is_closing():
            return
        if self.head_bytes == 0:  # idle: nothing to answer, as uvicorn's keep-alive
            self.transport.close()
            return
        self._refuse("head_timeout")


def uvicorn_limits(settings: Settings) -> dict[str, Any]:
    """The uvicorn options that carry the server limits of `settings`."""
    return {
        "http": LimitedHttpToolsProtocol,
        "timeout_keep_alive": settings.server_keep_alive_timeout_s,
        "limit_concurrency": settings.server_limit_concurrency or None,
        "backlog": settings.server_backlog,
    }
