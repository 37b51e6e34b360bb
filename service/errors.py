"""Domain exceptions and the single place that maps every failure to problem+json."""

from __future__ import annotations

from typing import Any, ClassVar

import structlog
from beanie.exceptions import CollectionWasNotInitialized
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pymongo.errors import ConnectionFailure, PyMongoError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match, Mount

from service.middleware import current_request_id
from service.problems import make_problem

log = structlog.get_logger(__name__)


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


def _instance(request: Request) -> str:
    return request.url.path


async def handle_service_error(request: Request, exc: Exception) -> Response:
    """Map a domain exception to its problem document."""
    assert isinstance(exc, ServiceError)  # noqa: S101 - registered for ServiceError only
    errors = getattr(exc, "errors", None)
    return make_problem(
        exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        instance=_instance(request),
        request_id=current_request_id(),
        errors=errors,
        headers=exc.headers,
    )


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
        malformed = MalformedJson()
        return make_problem(
            malformed.status,
            slug=malformed.slug,
            title=malformed.title,
            detail=malformed.detail,
            instance=_instance(request),
            request_id=current_request_id(),
            errors=errors,
        )
    return make_problem(
        422,
        slug="validation-error",
        title="Unprocessable Content",
        detail="The request did not pass validation; see `errors`.",
        instance=_instance(request),
        request_id=current_request_id(),
        errors=errors,
    )


# Framework errors with a problem type of their own. A 400 that reaches this handler is a
# body the framework could not parse (e.g. broken multipart); JSON has its own type.
_HTTP_SLUGS = {400: "malformed-body", 413: "payload-too-large"}


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> str:
    """Every method some route answers on this path, for the `Allow` header of a 405.

    Starlette names only the methods of the first route whose path matched; a path such as
    `/users/{user_id}` is served by several routes (GET, PUT, PATCH, DELETE). So each method
    is tried against the router's own matching. HEAD is answered wherever GET is
    (`HeadMiddleware`); a mount (the static docs assets) serves GET.
    """
    routes = request.app.router.routes
    allowed = set()
    for method in _METHODS[:1] + _METHODS[2:]:
        scope = {**request.scope, "method": method}
        for route in routes:
            match, _ = route.matches(scope)
            if match is Match.FULL or (isinstance(route, Mount) and match is not Match.NONE):
                allowed.add("GET" if isinstance(route, Mount) else method)
    if "GET" in allowed:
        allowed.add("HEAD")
    return ", ".join(method for method in _METHODS if method in allowed)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Routing failures (404, 405) and framework HTTP errors as problem documents."""
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
    # Subclasses raised from body parsing (see `service.routing`) carry their own type.
    return make_problem(
        exc.status_code,
        slug=getattr(exc, "slug", None) or _HTTP_SLUGS.get(exc.status_code),
        title=getattr(exc, "title", None),
        detail=detail,
        instance=_instance(request),
        request_id=current_request_id(),
        errors=getattr(exc, "errors", None),
        headers=headers or None,
    )


def database_unavailable(exc: Exception) -> bool:
    """Whether a database failure means "not now" (503) rather than a bug (500).

    Timeouts of every kind (`PyMongoError.timeout`: the request's deadline, network and
    server-side `maxTimeMS`, write concern, server selection) and lost connections
    (`ConnectionFailure`: `AutoReconnect`, `NetworkTimeout`, `ServerSelectionTimeoutError`,
    `NotPrimaryError`); and models not yet bound because MongoDB was down at start-up.
    """
    if isinstance(exc, CollectionWasNotInitialized | ConnectionFailure):
        return True
    return isinstance(exc, PyMongoError) and exc.timeout


_UNSAFE_WRITE_DETAIL = (
    "The database did not answer in time; retry later. This write may have been applied "
    "before it stopped answering: retry with the same Idempotency-Key (POST /users), or "
    "read the resource before writing again."
)


async def handle_database_error(request: Request, exc: Exception) -> Response:
    """Lost or slow MongoDB means 503 so clients retry; any other driver error is a bug."""
    if not database_unavailable(exc):
        raise exc  # the last-resort handler logs it and answers a 500
    log.warning(
        "database.unavailable",
        error_type=type(exc).__name__,
        timeout=isinstance(exc, PyMongoError) and exc.timeout,
    )
    safe = request.method in ("GET", "HEAD", "OPTIONS")
    return make_problem(
        503,
        slug="database-unavailable",
        title="Service Unavailable",
        detail="The database did not answer in time; retry later."
        if safe
        else _UNSAFE_WRITE_DETAIL,
        instance=_instance(request),
        request_id=current_request_id(),
        headers={"Retry-After": "1"},
    )


def register_error_handlers(app: FastAPI) -> None:
    """Install every exception-to-problem mapping on the app."""
    app.add_exception_handler(ServiceError, handle_service_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    # CollectionWasNotInitialized: the app started while MongoDB was down and is still retrying.
    for database_error in (PyMongoError, CollectionWasNotInitialized):
        app.add_exception_handler(database_error, handle_database_error)
