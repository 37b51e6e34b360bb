"""The application factory: middleware order, error handlers, routers, docs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from prometheus_client import CollectorRegistry
from pydantic import BaseModel
from starlette.middleware.cors import CORSMiddleware

from service import __version__
from service.api import (
    account,
    audit,
    auth,
    avatars,
    browser_sessions,
    health,
    index,
    models,
    pages,
    passkey_page,
    passkeys,
    second_factor,
    users,
    well_known,
)
from service.api.contract import publish_contract
from service.api.docs import add_docs_routes
from service.api.operation_ids import check_operation_ids, operation_id
from service.api.problems import register_problem_handlers
from service.core.config import Settings, get_settings
from service.core.db_deadline import request_deadline
from service.http.body_limit import BodySizeLimitMiddleware
from service.http.caching import etag_key
from service.http.context import HeadMiddleware, RequestContextMiddleware
from service.http.deadline import DeadlineMiddleware
from service.http.hosts import HostMiddleware
from service.http.ratelimit_install import install_rate_limiting, with_rate_limiter
from service.http.routing import ServiceRoute
from service.observability.counters import BusinessMetrics
from service.observability.logging import configure_logging
from service.observability.metrics import setup_metrics
from service.startup.lifespan import build_lifespan
from service.users.schemas import UserCreate

DESCRIPTION = """
Manage users: register, search, read, update and delete them.

Every error is an RFC 9457 problem document (`application/problem+json`) carrying the
`request_id` that is also echoed in the `X-Request-ID` response header.
"""


# Every router, in the order the OpenAPI document lists them; adding a resource adds one.
ROUTERS: tuple[APIRouter, ...] = (
    account.router,
    users.router,
    avatars.router,
    auth.router,
    audit.router,
    passkeys.router,
    passkey_page.router,
    second_factor.router,
    browser_sessions.router,
    well_known.router,
    models.router,
    health.router,
    index.router,
    pages.router,
)
# The OpenAPI tags, in order: what each group of operations is for.
OPENAPI_TAGS: list[dict[str, Any]] = [
    {"name": "users", "description": "The users resource."},
    {"name": "auth", "description": "Log in, rotate tokens, log out."},
    {"name": "audit", "description": "The security audit trail, for admins."},
    {"name": "passkeys", "description": "Register passkeys (WebAuthn) and log in with them."},
    {"name": "second factor", "description": "TOTP second factors and recovery codes."},
    {"name": "avatars", "description": "Upload, serve and remove user avatars."},
    {"name": "models", "description": "Store ONNX classifiers and predict with them."},
    {"name": "operations", "description": "Health probes and metrics."},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the users-service ASGI app for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    # One metrics registry per app: its business counters go into the lifespan state, its HTTP
    # metrics into the middleware, and `/metrics` serves them all.
    metrics_registry = CollectorRegistry()
    metrics = BusinessMetrics.on(metrics_registry)
    app = FastAPI(
        title="users-service",
        version=__version__,
        description=DESCRIPTION,
        lifespan=build_lifespan(settings, metrics),
        # One database deadline per request: a frozen database answers 503, not a hang.
        dependencies=[Depends(request_deadline(settings.mongodb_timeout_ms / 1000))],
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.serves_openapi else None,
        openapi_tags=OPENAPI_TAGS,
        generate_unique_id_function=operation_id,
    )
    # Routes declared on the app itself (docs, /metrics) read bodies the same way too.
    app.router.route_class = ServiceRoute
    register_problem_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    if settings.serves_docs:
        add_docs_routes(app)

    # Middleware added last runs first: metrics (outermost) -> request context -> host
    # check -> CORS (so refusals below carry CORS headers) -> deadline -> rate limit
    # (before any body is read) -> body size limit -> HEAD -> app.
    app.add_middleware(HeadMiddleware)
    app.add_middleware(
        BodySizeLimitMiddleware,
        json_max_bytes=settings.json_max_bytes,
        avatar_max_bytes=settings.avatar_max_bytes,
        model_max_bytes=settings.model_max_bytes,
    )
    limiter = install_rate_limiting(app, settings, metrics_registry)
    app.router.lifespan_context = with_rate_limiter(app.router.lifespan_context, limiter, settings)
    app.add_middleware(DeadlineMiddleware, timeout_s=settings.request_timeout_s)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            # Cookies only with browser sessions on, and then only for these origins.
            allow_credentials=settings.session_cookies,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=[
                *("ETag", "Link", "Location", "X-Request-ID", "Retry-After"),
                *("RateLimit", "RateLimit-Policy"),
            ],
        )
    app.add_middleware(
        HostMiddleware,
        allowed_hosts=settings.allowed_hosts,
        public_base_url=settings.public_base_url,
    )
    app.add_middleware(
        RequestContextMiddleware,
        max_request_id_length=settings.request_id_max_length,
        access_log=settings.access_log_enabled,
        etag_key=etag_key(settings.jwt_secret.get_secret_value()),
    )
    if settings.metrics_enabled:
        setup_metrics(app, metrics_registry)
    document_schemas(app, [UserCreate])
    publish_contract(app)
    check_operation_ids(app)
    return app


def document_schemas(app: FastAPI, models: list[type[BaseModel]]) -> None:
    """Add schemas that routes reference by `$ref` but FastAPI cannot see (manual bodies)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(model_schema.pop("$defs", {}))
            components[model.__name__] = model_schema
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
