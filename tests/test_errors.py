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
