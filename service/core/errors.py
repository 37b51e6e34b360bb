"""The base exceptions every domain raises: plain classes carrying status, slug and title.

They import nothing of HTTP; `service.http.error_handlers` renders them as problem+json.
"""

from __future__ import annotations

from typing import ClassVar


class ServiceError(Exception):
    """Base of every expected failure; carries its HTTP status and problem slug."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal Server Error"

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers


class Unauthorized(ServiceError):
    """No valid credentials were presented; the answer names the Bearer scheme."""

    status, slug, title = 401, "unauthorized", "Unauthorized"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ServiceError):
    """The caller is known but may not do this."""

    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(ServiceError):
    """The addressed resource does not exist."""

    status, slug, title = 404, "not-found", "Not Found"


class Conflict(ServiceError):
    """The change clashes with existing state, e.g. a unique field."""

    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(ServiceError):
    """An `If-Match` precondition did not hold."""

    status, slug, title = 412, "precondition-failed", "Precondition Failed"


class MalformedJson(ServiceError):
    """The body is not JSON text: bad syntax, not UTF-8, or nested too deeply."""

    status, slug, title = 400, "malformed-json", "Malformed JSON"

    def __init__(self) -> None:
        super().__init__("The request body is not valid JSON.")


class UnsupportedMediaType(ServiceError):
    """The request body's content type is not accepted here."""

    status, slug, title = 415, "unsupported-media-type", "Unsupported Media Type"


class InvalidParameter(ServiceError):
    """A query parameter passed schema validation but is still unusable (e.g. a bad cursor)."""

    status, slug, title = 422, "validation-error", "Unprocessable Content"

    def __init__(self, loc: list[str | int], msg: str, kind: str) -> None:
        super().__init__(msg)
        self.errors = [{"loc": loc, "msg": msg, "type": kind}]


class TooManyRequests(ServiceError):
    """The caller must wait `retry_after_s` seconds before trying again."""

    status, slug, title = 429, "too-many-requests", "Too Many Requests"

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after_s))})
