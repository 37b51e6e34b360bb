"""A forged Host never steers written URLs: ALLOWED_HOSTS refuses it, PUBLIC_BASE_URL wins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pymongo.asynchronous.database import AsyncDatabase

from service.config import Environment, Settings
from service.main import create_app
from tests.avatars import images
from tests.factories import user_payload, user_session
from tests.secret_scan import SecretLedger

PUBLIC = "https://api.example.org"


@pytest.fixture(scope="session")
async def hardened_app(
    settings: Settings, started_app: LifespanManager
) -> AsyncIterator[LifespanManager]:
    """The service behind a public origin, answering only to the hosts it is told."""
    hardened = settings.model_copy(
        update={"allowed_hosts": ["testserver", "*.example.org"], "public_base_url": PUBLIC}
    )
    async with LifespanManager(create_app(hardened)) as manager:
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
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL or ALLOWED_HOSTS"):
        Settings(environment=Environment.PRODUCTION, jwt_secret=secret)
    mail = {"smtp_host": "smtp.example"}
    Settings(environment=Environment.PRODUCTION, jwt_secret=secret, public_base_url=PUBLIC, **mail)
    Settings(
        environment=Environment.PRODUCTION, jwt_secret=secret, allowed_hosts="a.example", **mail
    )
