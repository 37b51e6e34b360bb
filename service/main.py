"""The application factory: middleware order, error handlers, routers, docs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from prometheus_client import CollectorRegistry
from pydantic import BaseModel
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

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
from service.api.declared_routes import DeclaredRoute
from service.api.docs import add_docs_routes
from service.api.operation_ids import check_operation_ids, operation_id
from service.api.problems import register_problem_handlers
from service.core.config import Settings, get_settings
from service.core.db_deadline import request_deadline
from service.http.body_limit import BodyLimits
from service.http.caching import etag_key
from service.http.hosts import HostPolicy
from service.http.pipeline import ServiceMiddleware
from service.http.ratelimit_install import rate_limit_gate, with_rate_limiter
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
        add_routes(app, router)
    if settings.serves_docs:
        add_docs_routes(app)

    # One middleware for every per-request concern (`service.http.pipeline`): request
    # context -> host check -> CORS (so refusals below carry CORS headers) -> deadline ->
    # rate limit (before any body is read) -> body size limit -> HEAD -> app; then the
    # metrics and the access line.
    gate = rate_limit_gate(settings, metrics_registry)
    limiter = gate.limiter if gate is not None else None
    app.router.lifespan_context = with_rate_limiter(app.router.lifespan_context, limiter, settings)
    app.add_middleware(
        ServiceMiddleware,
        max_request_id_length=settings.request_id_max_length,
        access_log=settings.access_log_enabled,
        etag_key=etag_key(settings.jwt_secret.get_secret_value()),
        hosts=HostPolicy(
            allowed_hosts=settings.allowed_hosts, public_base_url=settings.public_base_url
        ),
        timeout_s=settings.request_timeout_s,
        rate_limit=gate,
        body_limits=BodyLimits(
            json_max_bytes=settings.json_max_bytes,
            avatar_max_bytes=settings.avatar_max_bytes,
            model_max_bytes=settings.model_max_bytes,
        ),
        metrics=setup_metrics(app, metrics_registry) if settings.metrics_enabled else None,
        wrap_inner=cors_wrapper(settings.cors_origins, credentials=settings.session_cookies),
    )
    document_schemas(app, [UserCreate])
    publish_contract(app)
    check_operation_ids(app)
    return app


def add_routes(app: FastAPI, router: APIRouter) -> None:
    """Declare `router`'s routes on the app itself, as `include_router` once did.

    An included router stays a layer of its own that the framework walks on every
    request, setting and restoring scope keys around each candidate route: ~8 µs per
    route tried before the right one, the largest single cost of a read. Routes declared
    on the app are matched directly. What an inclusion would add (the app's dependencies
    and its operation-id function) is added the same way here, so the routes and the
    OpenAPI document are the same.
    """
    for route in router.routes:
        if isinstance(route, DeclaredRoute):  # built here for the first time
            route.build_on(app.router)
            continue
        if not isinstance(route, APIRoute):
            app.router.routes.append(route)
            continue
        app.router.add_api_route(
            route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=route.tags,
            dependencies=route.dependencies,
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses=route.responses,
            deprecated=route.deprecated,
            methods=route.methods,
            operation_id=route.operation_id,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            route_class_override=type(route),
            callbacks=route.callbacks,
            openapi_extra=route.openapi_extra,
            generate_unique_id_function=route.generate_unique_id_function,
        )


def cors_wrapper(origins: list[str], *, credentials: bool) -> Callable[[ASGIApp], ASGIApp] | None:
    """CORS for `origins` around the middleware's inner steps, or None when there are none.
    Cookies (`credentials`) only with browser sessions on, and then only for these origins."""
    if not origins:
        return None
    return functools.partial(
        CORSMiddleware,
        allow_origins=origins,
        allow_credentials=credentials,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=[
            *("ETag", "Link", "Location", "X-Request-ID", "Retry-After"),
            *("RateLimit", "RateLimit-Policy"),
        ],
    )


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
