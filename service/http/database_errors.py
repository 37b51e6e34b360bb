"""Database failures as problem documents: "not now" is a 503 to retry, anything else a bug."""

from __future__ import annotations

import structlog
from beanie.exceptions import CollectionWasNotInitialized
from fastapi import Request
from pymongo.errors import ConnectionFailure, PyMongoError
from starlette.responses import Response

from service.http.context import current_request_id
from service.http.problems import make_problem

log = structlog.get_logger(__name__)

# What `handle_database_error` is registered for. CollectionWasNotInitialized: the app
# started while MongoDB was down and is still retrying.
DATABASE_ERRORS = (PyMongoError, CollectionWasNotInitialized)


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
        instance=request.url.path,
        request_id=current_request_id(),
        headers={"Retry-After": "1"},
    )
