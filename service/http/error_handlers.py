"""The single place that installs the mapping of every failure to problem+json: service
errors, request validation, routing (`routing_errors`) and database failures
(`database_errors`)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from service.core.errors import MalformedJson, ServiceError
from service.http.context import current_request_id
from service.http.database_errors import DATABASE_ERRORS, handle_database_error
from service.http.problems import make_problem
from service.http.routing_errors import handle_http_exception


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
        extensions=getattr(exc, "extensions", None),
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
