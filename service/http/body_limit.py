"""Pure-ASGI request-size cap, enforced before any body is parsed or spooled."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.http.context import current_request_id
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


class BodySizeLimitMiddleware:
    """413 for bodies over the limit: avatar uploads get `avatar_max_bytes`, ONNX model
    uploads `model_max_bytes` (plus form overhead), the rest `json_max_bytes`. A declared
    Content-Length is refused before reading a byte; a chunked body is
    counted as it streams and cut off at the limit."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        json_max_bytes: int,
        avatar_max_bytes: int,
        model_max_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.json_max_bytes = json_max_bytes
        self.avatar_max_bytes = avatar_max_bytes
        self.model_max_bytes = model_max_bytes

    def _limit(self, scope: Scope) -> int:
        path, method = scope["path"], scope["method"]
        if method == "PUT" and AVATAR_UPLOAD.match(path):
            return self.avatar_max_bytes
        if self.model_max_bytes is not None and method == "POST" and MODEL_UPLOAD.match(path):
            return self.model_max_bytes + MODEL_FORM_OVERHEAD
        if method == "POST" and path in REGISTRATION_PATHS:
            content_type = dict(scope["headers"]).get(b"content-type", b"")
            if content_type.startswith(b"multipart/form-data"):
                return self.avatar_max_bytes
        return self.json_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, unless its body is larger than allowed."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._reject(scope, receive, send, limit)
            return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if response_started:
                raise
            await self._reject(scope, receive, send, limit)

    @staticmethod
    async def _reject(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        too_large = BodyTooLarge(limit)
        response = make_problem(
            too_large.status_code,
            slug=too_large.slug,
            title=too_large.title,
            detail=too_large.detail,
            instance=scope["path"],
            request_id=current_request_id(),
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
