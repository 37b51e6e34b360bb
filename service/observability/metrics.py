"""Prometheus over HTTP: request metrics by route template, and `/metrics`.

Each app gets its own registry so several apps in one process (tests) never collide.
With `PROMETHEUS_MULTIPROC_DIR` set, prometheus_client writes every value to files in
that directory and `/metrics` aggregates all worker processes from them.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_fastapi_instrumentator import Instrumentator

from service.http.paths import OPERATIONS_PREFIXES
from service.observability.counters import LATENCY_BUCKETS_S


class HttpMetrics:
    """Counts requests and observes latency, labelled by route template, method and status.

    Recorded by the service middleware (`service.http.pipeline`) once a request has
    answered. The route template comes from the `route` the router put in the scope, so no
    route matching is repeated, and paths that matched no route are not counted at all.
    The labelled children are kept per label set: `labels()` validates and locks on
    every call, a dictionary lookup does not. Their number is bounded by the routes.
    """

    def __init__(self, requests: Counter, latency: Histogram) -> None:
        self.requests = requests
        self.latency = latency
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._timers: dict[tuple[str, str], Any] = {}

    def record(self, template: str | None, method: str, status: int, elapsed_s: float) -> None:
        """Count one answered request and observe its latency."""
        if template is None or template.startswith(OPERATIONS_PREFIXES):
            return
        counter = self._counters.get((template, method, status))
        if counter is None:
            counter = self._counters[template, method, status] = self.requests.labels(
                template, method, str(status)
            )
        counter.inc()
        timer = self._timers.get((template, method))
        if timer is None:
            timer = self._timers[template, method] = self.latency.labels(template, method)
        timer.observe(elapsed_s)


def setup_metrics(app: FastAPI, registry: CollectorRegistry) -> HttpMetrics:
    """Serve `/metrics` from `registry`; the HTTP metrics for the middleware to record."""
    metrics = HttpMetrics(
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
    return metrics
