"""Request-size caps, enforced before any body is parsed or spooled.

Avatar uploads get `avatar_max_bytes`, ONNX model uploads `model_max_bytes` (plus form
overhead), a multipart registration the avatar limit, the rest `json_max_bytes`. A
declared Content-Length is refused before reading a byte; a chunked body is counted as
it streams and cut off at the limit. Applied by the service middleware
(`service.http.pipeline`).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope, Send

from service.http.paths import AVATAR_UPLOAD, MODEL_UPLOAD, REGISTRATION_PATHS
from service.http.problems import make_problem

# Room for the multipart framing and the schema form fields around the ONNX file itself.
MODEL_FORM_OVERHEAD = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes the limit.

    An HTTPException so that the framework's body parsing re-raises it unchanged (it turns
    any other error into a 400); the error handlers render it as a 413 problem.
    """

    # One rendering for both ways a body can be too large (declared or streamed).
    slug = "payload-too-large"
    title = "Content Too Large"

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body exceeds {limit} bytes.")


class BodyLimits:
    """Which limit a request's body gets, from its method, path and media type."""

    def __init__(
        self, *, json_max_bytes: int, avatar_max_bytes: int, model_max_bytes: int | None = None
    ) -> None:
        self.json_max_bytes = json_max_bytes
        self.avatar_max_bytes = avatar_max_bytes
        self.model_max_bytes = model_max_bytes

    def limit(self, method: str, path: str, content_type: bytes | None) -> int:
        """The most bytes this request's body may have."""
        if method == "GET" or method == "HEAD" or method == "DELETE":
            return self.json_max_bytes
        if method == "PUT" and AVATAR_UPLOAD.match(path):
            return self.avatar_max_bytes
        if self.model_max_bytes is not None and method == "POST" and MODEL_UPLOAD.match(path):
            return self.model_max_bytes + MODEL_FORM_OVERHEAD
        multipart = content_type is not None and content_type.startswith(b"multipart/form-data")
        if method == "POST" and path in REGISTRATION_PATHS and multipart:
            return self.avatar_max_bytes
        return self.json_max_bytes

    @staticmethod
    def declared_over(content_length: bytes | None, limit: int) -> bool:
        """Whether a declared `Content-Length` is already over `limit`."""
        return (
            content_length is not None and content_length.isdigit() and int(content_length) > limit
        )


class CountingReceive:
    """Wraps `receive`: raises `BodyTooLarge` once the body received passes the limit."""

    __slots__ = ("_receive", "limit", "received")

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self.limit = limit
        self.received = 0

    async def receive(self) -> Message:
        """The next message, counted."""
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                raise BodyTooLarge(self.limit)
        return message


async def reject(
    scope: Scope, receive: Receive, send: Send, limit: int, request_id: str | None
) -> None:
    """Answer 413 and close the connection (the rest of the body is never read)."""
    too_large = BodyTooLarge(limit)
    response = make_problem(
        too_large.status_code,
        slug=too_large.slug,
        title=too_large.title,
        detail=too_large.detail,
        instance=scope["path"],
        request_id=request_id,
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)
