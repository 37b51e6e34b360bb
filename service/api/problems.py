"""Every failure as an RFC 9457 problem: the handlers, over the one table in
`problem_table`, that render domain, validation, routing and database
failures through the one renderer, `service.http.problems.make_problem`."""

from __future__ import annotations

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match, Mount

from service.api.problem_table import problem_headers, problem_kind
from service.core import errors as core
from service.core.database import DATABASE_ERRORS, database_unavailable
from service.http.context import current_request_id
from service.http.problems import make_problem

log = structlog.get_logger(__name__)


def _problem(request: Request, exc: core.ServiceError) -> Response:
    kind = problem_kind(type(exc))
    headers = problem_headers(exc)
    return make_problem(
        kind.status,
        slug=kind.slug,
        title=kind.title,
        detail=exc.detail,
        instance=request.url.path,
        request_id=current_request_id(),
        errors=exc.errors,
        headers=headers or None,
        extensions=exc.extensions,
    )


async def handle_service_error(request: Request, exc: Exception) -> Response:
    """Map a domain exception to its problem document."""
    assert isinstance(exc, core.ServiceError)  # noqa: S101 - registered for ServiceError only
    return _problem(request, exc)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    """Malformed JSON is a 400; any other schema or parameter failure is a 422."""
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    # Pydantic's `input` and `ctx` can echo the submitted password back; keep the safe parts.
    errors = [
        core.FieldError(loc=list(e.get("loc", ())), msg=e.get("msg", ""), type=e.get("type", ""))
        for e in exc.errors()
    ]
    if any(error["type"] == "json_invalid" for error in errors):
        failure: core.ServiceError = core.MalformedJson()
    else:
        failure = core.RequestInvalid()
    failure.errors = errors
    return _problem(request, failure)


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
    allowed = set()
    for method in _METHODS[:1] + _METHODS[2:]:
        scope = {**request.scope, "method": method}
        for route in request.app.router.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL or (isinstance(route, Mount) and match is not Match.NONE):
                allowed.add("GET" if isinstance(route, Mount) else method)
    if "GET" in allowed:
        allowed.add("HEAD")
    return ", ".join(method for method in _METHODS if method in allowed)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Routing failures (404, 405) and framework HTTP errors as problem documents."""
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
    # The body-reading errors of `service.http` (too large, unencodable text) name their type.
    return make_problem(
        exc.status_code,
        slug=getattr(exc, "slug", None) or _HTTP_SLUGS.get(exc.status_code),
        title=getattr(exc, "title", None),
        detail=exc.detail if isinstance(exc.detail, str) else None,
        instance=request.url.path,
        request_id=current_request_id(),
        errors=getattr(exc, "errors", None),
        headers=headers or None,
    )


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
        timeout=bool(getattr(exc, "timeout", False)),
    )
    safe = request.method in ("GET", "HEAD", "OPTIONS")
    detail = "The database did not answer in time; retry later." if safe else _UNSAFE_WRITE_DETAIL
    return _problem(request, core.DatabaseUnavailable(detail, retry_after_s=1))


def register_problem_handlers(app: FastAPI) -> None:
    """Install every exception-to-problem mapping on the app."""
    app.add_exception_handler(core.ServiceError, handle_service_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    for database_error in DATABASE_ERRORS:
        app.add_exception_handler(database_error, handle_database_error)
