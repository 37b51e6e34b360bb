"""The request context: the id of the request being handled and who is calling.

Both live on the request's `Exchange` (`service.http.exchange`), which the service
middleware (`service.http.pipeline`) binds for each request; error handlers, problem
bodies and the access log read them from there.
"""

from __future__ import annotations

import structlog

from service.http.exchange import current_exchange
from service.http.pipeline import ServiceMiddleware


def current_request_id() -> str | None:
    """Return the id of the request being handled, if any."""
    exchange = current_exchange.get()
    return None if exchange is None else exchange.request_id


def bind_user_id(user_id: str) -> None:
    """Record who is calling so the access log line (and every later log line) names them."""
    exchange = current_exchange.get()
    if exchange is not None:
        exchange.user_id = user_id
    structlog.contextvars.bind_contextvars(user_id=user_id)


class RequestContextMiddleware(ServiceMiddleware):
    """The service middleware with only its request-context steps (request id, access
    log, the last-resort 500, HEAD), for an app that needs nothing more."""
