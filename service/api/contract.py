"""The published OpenAPI document: the route table's names and the errors every route shares.

Routers declare what is particular to each operation (its summary, its own errors); what
the service does in front of every router is declared here once, for every operation:

- the operationId comes from `service.api.operation_ids`, even where a router set one, so
  the table is the one place that names operations;
- a route in a rate-limited group can answer 429 (with `Retry-After` and the IETF
  `RateLimit` headers), whichever router serves it;
- every route can answer 503: the request deadline (`REQUEST_TIMEOUT_S`) covers them all;
- a 422 is a problem document (the error handlers make it one), never FastAPI's default
  `HTTPValidationError`, which is then left out of the schemas.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from service.api.operation_ids import OPERATION_IDS
from service.http.paths import route_group
from service.http.problems import PROBLEM_MEDIA_TYPE

_HEADER = {"schema": {"type": "string"}}
TOO_MANY_REQUESTS: dict[str, Any] = {
    "description": "Too Many Requests: this route group's rate limit is spent; retry later.",
    "headers": {
        "Retry-After": {"description": "Seconds to wait before retrying.", **_HEADER},
        "RateLimit-Policy": {"description": "The group's limit (IETF draft).", **_HEADER},
        "RateLimit": {"description": "What is left of it (IETF draft).", **_HEADER},
    },
    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
SERVICE_UNAVAILABLE: dict[str, Any] = {
    "description": "Service Unavailable: past the request deadline; retry after `Retry-After`.",
    "headers": {"Retry-After": {"description": "Seconds to wait before retrying.", **_HEADER}},
    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


UNPROCESSABLE: dict[str, Any] = {
    "description": "Unprocessable Content: `errors` names each invalid field.",
    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
_FASTAPI_422 = "#/components/schemas/HTTPValidationError"


def finish_document(document: dict[str, Any]) -> dict[str, Any]:
    """Apply the table's operationIds and the shared 422, 429 and 503 to every operation."""
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            operation["operationId"] = OPERATION_IDS[(method.upper(), path)]
            if _FASTAPI_422 in json.dumps(operation["responses"].get("422", {})):
                operation["responses"]["422"] = UNPROCESSABLE
            if route_group(method.upper(), path) is not None:
                operation["responses"].setdefault("429", TOO_MANY_REQUESTS)
            operation["responses"].setdefault("503", SERVICE_UNAVAILABLE)
    _drop_unreferenced(document, "HTTPValidationError", "ValidationError")
    return document


def _drop_unreferenced(document: dict[str, Any], *names: str) -> None:
    """Remove these component schemas, in order, once nothing refers to them."""
    schemas = document.get("components", {}).get("schemas", {})
    for name in names:
        if name in schemas:
            rest = {
                **document,
                "components": {
                    **document["components"],
                    "schemas": {key: value for key, value in schemas.items() if key != name},
                },
            }
            if f'"#/components/schemas/{name}"' not in json.dumps(rest):
                del schemas[name]


def publish_contract(app: FastAPI) -> None:
    """Serve `finish_document` of the app's document as its OpenAPI schema."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        return finish_document(generate())

    app.openapi = openapi  # type: ignore[method-assign]
