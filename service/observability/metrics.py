"""Prometheus over HTTP: request metrics by route template, and `/metrics`.

Each app gets its own registry so several apps in one process (tests) never collide.
With `PROMETHEUS_MULTIPROC_DIR` set, prometheus_client writes every value to files in
that directory and `/metrics` aggregates all worker processes from them.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_fastapi_instrumentator import Instrumentator
from starlette.types import ASGIApp, Receive, Scope, Send

from service.http.paths import OPERATIONS_PREFIXES
from service.http.response_watch import ResponseWatch
from service.observability.counters import LATENCY_BUCKETS_S


class HttpMetricsMiddleware:
    """Counts requests and observes latency, labelled by route template, method and status.

    Pure ASGI and deliberately small: the route template comes from the `route` the
    router put in the scope, so no per-request route matching is repeated here, and paths
    that matched no route (untemplated) are not counted at all.
    """

    def __init__(self, app: ASGIApp, *, requests: Counter, latency: Histogram) -> None:
        self.app = app
        self.requests = requests
        self.latency = latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Time the request and count it once it has answered."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response = ResponseWatch(send)
        try:
            await self.app(scope, receive, response.send)
        finally:
            route = scope.get("route")
            # As documented: the format leaves out path convertors (`{id:objectid}`).
            template = getattr(route, "path_format", None) or getattr(route, "path", None)
            if isinstance(template, str) and not template.startswith(OPERATIONS_PREFIXES):
                method = scope["method"]
                self.requests.labels(template, method, str(response.status)).inc()
                self.latency.labels(template, method).observe(response.elapsed_s())


def setup_metrics(app: FastAPI, registry: CollectorRegistry) -> None:
    """Instrument HTTP requests and serve `/metrics` from `registry`."""
    app.add_middleware(
        HttpMetricsMiddleware,
        requests=Counter(
            "http_requests",
            "HTTP requests by route template, method and status.",
            ["handler", "method", "status"],
            registry=registry,
        ),
        latency=Histogram(
            "http_request_duration_seconds",
            "HTTP request latency by route template and method.",
            ["handler", "method"],
            buckets=LATENCY_BUCKETS_S,
            registry=registry,
        ),
    )
    # The instrumentator serves /metrics, aggregating worker files in multiprocess mode.
    instrumentator = Instrumentator(registry=registry)
    instrumentator.expose(
        app,
        include_in_schema=True,
        tags=["operations"],
        summary="Prometheus metrics",
        description="Request counts and latency by route template, method and status, "
        "plus business counters, in the Prometheus text format (OpenMetrics when the "
        "`Accept` header asks for it).",
        response_class=PlainTextResponse,
        responses={
            200: {
                "description": "The current values of every metric.",
                "content": {"application/openmetrics-text": {"schema": {"type": "string"}}},
            }
        },
    )
