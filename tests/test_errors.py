"""Every error is RFC 9457 problem+json with a request id and no internals."""

from __future__ import annotations

import io
import json

import httpx
from fastapi import FastAPI

from service.api.problems import register_problem_handlers
from service.http.context import RequestContextMiddleware

PROBLEM = "application/problem+json"


async def test_unknown_route_is_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/route")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "instance", "request_id"}
    assert body["status"] == 404
    assert body["instance"] == "/no/such/route"
    assert body["request_id"] == response.headers["x-request-id"]


async def test_wrong_method_is_405_problem_with_allow(client: httpx.AsyncClient) -> None:
    response = await client.post("/health")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["allow"] == "GET, HEAD"


async def test_unexpected_exception_is_500_problem_logged_with_request_id(
    log_output: io.StringIO,
) -> None:
    # A real app with the real middleware and handlers, plus one route that fails the way
    # a bug would; the users app has no such route to provoke.
    app = FastAPI()
    register_problem_handlers(app)

    @app.get("/bug")
    async def bug() -> None:
        raise RuntimeError("internal detail: connection string mongodb://secret@host")

    app.add_middleware(RequestContextMiddleware)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/bug", headers={"x-request-id": "bug-1"})

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["request_id"] == "bug-1"
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    failure = next(
        json.loads(line)
        for line in log_output.getvalue().splitlines()
        if json.loads(line)["event"] == "request.failed"
    )
    assert failure["request_id"] == "bug-1"
    assert "RuntimeError" in failure["exception"]


def test_every_domain_exception_maps_to_a_problem_of_its_own_kind() -> None:
    # Import every module, so every exception class of the service exists.
    import importlib
    import pkgutil

    import service
    from service.api.problem_table import PROBLEMS, problem_kind
    from service.core.errors import ServiceError

    for module in pkgutil.walk_packages(service.__path__, "service."):
        importlib.import_module(module.name)
    pending, classes = [ServiceError], []
    while pending:
        subclasses = pending.pop().__subclasses__()
        classes += subclasses
        pending += subclasses
    assert len(classes) > 30
    for cls in classes:
        # Status, type and title live in the one table, not on the exception.
        assert not {"status", "slug", "title", "headers"} & set(vars(cls)), cls
        # Every expected failure is a client's or a "not now" problem, never a bare 500.
        assert problem_kind(cls).status != 500, cls
    # Each row of the table names a distinct problem: a type URI means one status.
    statuses: dict[str, set[int]] = {}
    for kind in PROBLEMS.values():
        statuses.setdefault(kind.slug, set()).add(kind.status)
    assert all(len(found) == 1 for found in statuses.values()), statuses
