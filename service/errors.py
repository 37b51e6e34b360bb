"""Domain exceptions, their problem documents, and the single place that installs the
mapping of every failure to problem+json (routing and database failures: `http_errors`,
`db_errors`)."""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from service.db_errors import DATABASE_ERRORS, handle_database_error
from service.http_errors import handle_http_exception
from service.middleware import current_request_id
from service.problems import make_problem


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


def _problem(request: Request, exc: ServiceError, errors: list[dict[str, Any]] | None) -> Response:
    return make_problem(
        exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        request_id=current_request_id(),
        errors=errors,
        headers=exc.headers,
    )


async def handle_service_error(request: Request, exc: Exception) -> Response:
    """Map a domain exception to its problem document."""
    assert isinstance(exc, ServiceError)  # noqa: S101 - registered for ServiceError only
    return _problem(request, exc, getattr(exc, "errors", None))


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Pydantic's `input` and `ctx` can echo the submitted password back; keep only the safe parts.
    return [
        {
            "loc": list(error.get("loc", ())),
            "msg": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in exc.errors()
    ]


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    """Malformed JSON is a 400; any other schema or parameter failure is a 422."""
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = _field_errors(exc)
    if any(error["type"] == "json_invalid" for error in errors):
        return _problem(request, MalformedJson(), errors)
    return make_problem(
        422,
        slug="validation-error",
        title="Unprocessable Content",
        detail="The request did not pass validation; see `errors`.",
        instance=request.url.path,
        request_id=current_request_id(),
        errors=errors,
    )


def register_error_handlers(app: FastAPI) -> None:
    """Install every exception-to-problem mapping on the app."""
    app.add_exception_handler(ServiceError, handle_service_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    for database_error in DATABASE_ERRORS:
        app.add_exception_handler(database_error, handle_database_error)
