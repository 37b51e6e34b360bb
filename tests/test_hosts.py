"""A forged Host never steers written URLs: ALLOWED_HOSTS refuses it, PUBLIC_BASE_URL wins."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pymongo.asynchronous.database import AsyncDatabase
from starlette.types import ASGIApp, Receive, Scope, Send

from service.core.config import Settings
from service.core.setting_types import Environment
from service.main import create_app
from tests.avatars import images
from tests.conftest import TEST_SECOND_FACTOR_KEY
from tests.factories import user_payload, user_session
from tests.secret_scan import SecretLedger
from tests.test_metrics import _sample

PUBLIC = "https://api.example.org"
# What the router writes into the scope it is given, for the middleware outside to read.
ROUTER_KEYS = ("route", "endpoint", "path_params")


class ScopeProbe:
    """Outside every middleware: keeps the scope of each HTTP request once it is answered,
    so a test sees what the outermost middleware (metrics, access log) sees."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.scopes: list[Scope] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; note its scope."""
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.scopes.append(scope)


@pytest.fixture(scope="session")
def scope_probe(settings: Settings) -> ScopeProbe:
    """The hardened app, wrapped in a probe of the scopes its outermost middleware sees."""
    hardened = settings.model_copy(
        update={
            "allowed_hosts": ["testserver", "*.example.org"],
            "public_base_url": PUBLIC,
            "cors_origins": ["https://app.example.org"],
            "rate_limit_enabled": True,
            "rate_limit_auth": "1000/minute",
            "rate_limit_write": "1000/minute",
            "rate_limit_avatar": "1000/minute",
        }
    )
    return ScopeProbe(create_app(hardened))


@pytest.fixture(scope="session")
async def hardened_app(
    scope_probe: ScopeProbe, started_app: LifespanManager
) -> AsyncIterator[LifespanManager]:
    """The service behind a public origin, answering only to the hosts it is told, with
    every optional middleware on (CORS, rate limits), inside a `ScopeProbe`."""
    async with LifespanManager(scope_probe) as manager:
        yield manager


@pytest.fixture
async def hardened(
    hardened_app: LifespanManager, ledger: SecretLedger
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the hardened app that sends `Host: testserver` unless told otherwise."""
    transport = httpx.ASGITransport(app=hardened_app.app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=ledger.hooks()
    ) as http:
        yield http


async def test_a_forged_host_is_refused_with_a_400_problem_and_changes_nothing(
    hardened: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    payload = user_payload()
    response = await hardened.post("/users", json=payload, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:users-service:problem:invalid-host"
    assert body["request_id"] == response.headers["x-request-id"]
    assert "location" not in response.headers
    assert await test_db["users"].count_documents({"username": payload["username"]}) == 0
    for host in ("example.org.evil.example", "evilexample.org", ""):
        refused = await hardened.get("/users", headers={"Host": host})
        assert refused.status_code == 400, host


async def test_allowed_hosts_and_subdomain_patterns_are_served(
    hardened: httpx.AsyncClient,
) -> None:
    for host in ("testserver", "api.example.org", "API.Example.org:8443"):
        response = await hardened.get("/users", headers={"Host": host})
        assert response.status_code == 401, host  # past the host check, at authentication


async def test_probes_and_metrics_answer_any_host(hardened: httpx.AsyncClient) -> None:
    # Kubelet and Prometheus address pods by IP.
    for path in ("/health/live", "/health/ready", "/metrics"):
        response = await hardened.get(path, headers={"Host": "10.1.2.3:8000"})
        assert response.status_code == 200, path


async def test_public_base_url_is_used_in_location_link_and_avatar_url(
    hardened: httpx.AsyncClient,
) -> None:
    headers = {"Host": "api.example.org:8443", "X-Forwarded-Proto": "http"}
    created = await hardened.post("/users", json=user_payload(), headers=headers)
    assert created.status_code == 201
    user_id = created.json()["id"]
    assert created.headers["location"] == f"{PUBLIC}/users/{user_id}"

    user, auth = await user_session(hardened)
    page = await hardened.get("/users", params={"limit": 1}, headers={**auth, **headers})
    link = page.headers["link"]
    assert link.startswith(f"<{PUBLIC}/users?"), link
    assert link.endswith('>; rel="next"')

    uploaded = await hardened.put(
        f"/users/{user['id']}/avatar",
        files={"file": ("me.png", images.png(64, 64), "image/png")},
        headers={**auth, **headers},
    )
    assert uploaded.status_code == 200
    assert uploaded.json()["avatar_url"].startswith(f"{PUBLIC}/users/{user['id']}/avatar?v=")
    listed = await hardened.get("/users", params={"username": user["username"]}, headers=auth)
    assert listed.json()[0]["avatar_url"] == uploaded.json()["avatar_url"]


def test_public_base_url_must_be_an_origin() -> None:
    ok = Settings(public_base_url="https://api.example.org/")
    assert ok.public_base_url == "https://api.example.org"
    for bad in ("api.example.org", "ftp://x.example", "https://x.example/prefix", "https://x?q"):
        with pytest.raises(ValueError, match=r"origin|scheme"):
            Settings(public_base_url=bad)


def test_production_needs_a_public_base_url_or_allowed_hosts() -> None:
    secret = "p" * 32
    # Passkeys' origin and the sealing key are set, so only the host rule is missing.
    passkeys = {"webauthn_origins": "https://a.example"}
    key = {"second_factor_key": TEST_SECOND_FACTOR_KEY}
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL or ALLOWED_HOSTS"):
        Settings(environment=Environment.PRODUCTION, jwt_secret=secret, **passkeys, **key)
    mail = {"smtp_host": "smtp.example", **key}
    Settings(environment=Environment.PRODUCTION, jwt_secret=secret, public_base_url=PUBLIC, **mail)
    Settings(
        environment=Environment.PRODUCTION,
        jwt_secret=secret,
        allowed_hosts="a.example",
        **passkeys,
        **mail,
    )


async def test_behind_a_public_base_url_every_request_is_measured_and_logged_by_route(
    hardened: httpx.AsyncClient, log_output: io.StringIO
) -> None:
    # PUBLIC_BASE_URL rewrites the Host: the router's choice must still reach the metrics
    # and the access log outside (a copied scope once hid it: no http_* series at all).
    user, auth = await user_session(hardened)
    path = f"/users/{user['id']}"
    assert (await hardened.get(path, headers=auth)).status_code == 200
    assert (await hardened.head(path, headers=auth)).status_code == 200
    assert (await hardened.patch(path, json={"name": "N"}, headers=auth)).status_code == 200
    metrics = (await hardened.get("/metrics")).text
    for method, status in (("GET", "200"), ("HEAD", "200"), ("PATCH", "200")):
        labels = {"handler": "/users/{user_id}", "method": method, "status": status}
        assert _sample(metrics, "http_requests_total", **labels) >= 1, (labels, metrics[:3000])
    assert _sample(metrics, "http_requests_total", handler="/users", method="POST") >= 1
    access = [
        line
        for line in map(json.loads, log_output.getvalue().splitlines())
        if line["event"] == "http.request"
    ]
    routes = {(line["method"], line["route"]) for line in access}
    assert {("GET", "/users/{user_id}"), ("HEAD", "/users/{user_id}")} <= routes, access
    assert all(line["route"] for line in access), access


async def test_every_middleware_hands_back_what_the_router_wrote(
    hardened: httpx.AsyncClient, scope_probe: ScopeProbe
) -> None:
    probe = scope_probe
    user, auth = await user_session(hardened)
    path = f"/users/{user['id']}"
    cors = {"Origin": "https://app.example.org"}
    probe.scopes.clear()
    for method in ("GET", "HEAD", "PATCH", "DELETE"):
        body = {"json": {"name": "N"}} if method == "PATCH" else {}
        answer = await hardened.request(method, path, headers={**auth, **cors}, **body)
        assert answer.status_code < 300, (method, answer.text)
    assert len(probe.scopes) == 4
    for scope in probe.scopes:
        missing = [key for key in ROUTER_KEYS if key not in scope]
        assert not missing, f"{scope['method']}: the outermost scope lacks {missing}"
        assert scope["route"].path == "/users/{user_id}"
        assert scope["path_params"] == {"user_id": user["id"]}
    # The client's own method and origin stay visible outside; the public origin is used.
    assert [scope["method"] for scope in probe.scopes] == ["GET", "HEAD", "PATCH", "DELETE"]
    assert all(scope["scheme"] == "https" for scope in probe.scopes)
