"""Prometheus: HTTP metrics by route template, business counters, and `/metrics`.

Each app gets its own registry so several apps in one process (tests) never collide.
With `PROMETHEUS_MULTIPROC_DIR` set, prometheus_client writes every value to files in
that directory and `/metrics` aggregates all worker processes from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_fastapi_instrumentator import Instrumentator

# Finer than the library default so dashboards can read p50/p95/p99 per route.
LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BYTE_BUCKETS = (1024, 8192, 32768, 131072, 524288, 1048576, 2097152, 4194304)


@dataclass(frozen=True)
class BusinessMetrics:
    """Counters of what the service did, as opposed to how HTTP went."""

    users_created: Counter
    users_updated: Counter
    users_deleted: Counter
    avatar_uploads: Counter
    avatar_rejections: Counter
    avatar_upload_bytes: Histogram
    avatar_stored_bytes: Histogram
    database_up: Gauge

    @classmethod
    def on(cls, registry: CollectorRegistry) -> BusinessMetrics:
        """Create the counters in `registry`."""
        return cls(
            users_created=Counter("users_created", "Users registered.", registry=registry),
            users_updated=Counter("users_updated", "User updates applied.", registry=registry),
            users_deleted=Counter("users_deleted", "Users deleted.", registry=registry),
            avatar_uploads=Counter(
                "avatar_uploads",
                "Avatars accepted, by source format.",
                ["format"],
                registry=registry,
            ),
            avatar_rejections=Counter(
                "avatar_rejections",
                "Avatar uploads refused, by reason.",
                ["reason"],
                registry=registry,
            ),
            avatar_upload_bytes=Histogram(
                "avatar_upload_bytes",
                "Size of accepted uploads.",
                buckets=BYTE_BUCKETS,
                registry=registry,
            ),
            database_up=Gauge(
                "database_up",
                "1 when MongoDB answered the last readiness ping, else 0.",
                multiprocess_mode="mostrecent",
                registry=registry,
            ),
            avatar_stored_bytes=Histogram(
                "avatar_stored_bytes",
                "Size of re-encoded avatars.",
                buckets=BYTE_BUCKETS,
                registry=registry,
            ),
        )


def setup_metrics(app: FastAPI, *, expose: bool = True) -> BusinessMetrics:
    """Create the business counters; with `expose`, also instrument HTTP and serve `/metrics`."""
    registry = CollectorRegistry()
    metrics = BusinessMetrics.on(registry)
    app.state.business_metrics = metrics
    if not expose:
        return metrics
    instrumentator = Instrumentator(
        should_group_status_codes=False,
        should_ignore_untemplated=True,
        excluded_handlers=[
            "/metrics",
            "/health.*",
            "/docs.*",
            "/redoc",
            "/openapi.json",
            "/static.*",
        ],
        registry=registry,
    )
    instrumentator.instrument(app, latency_lowr_buckets=LATENCY_BUCKETS_S)
    instrumentator.expose(
        app,
        include_in_schema=True,
        tags=["operations"],
        summary="Prometheus metrics",
        description="Request counts and latency by route template, method and status, "
        "plus business counters, in the Prometheus text format.",
    )
    return metrics


async def get_business_metrics(request: Request) -> BusinessMetrics:
    """Dependency: the business counters of the app serving this request."""
    metrics: BusinessMetrics = request.app.state.business_metrics
    return metrics


Metrics = Annotated[BusinessMetrics, Depends(get_business_metrics)]
