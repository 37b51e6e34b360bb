"""Health probes, and how the service behaves when MongoDB is missing or comes back."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from bson import ObjectId

from scripts.localdb import LocalServer, free_port, start_server
from service.auth.key_store import read_variables
from service.auth.security import TokenCodec
from tests.factories import DEFAULT_PASSWORD, bearer, user_payload
from tests.service_process import SERVICE_PROCESS_SIGNING_KEY, running_service


async def test_health_reports_mongodb_with_latency(client: httpx.AsyncClient) -> None:
    for path in ("/health", "/health/ready"):
        response = await client.get(path)
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        check = body["checks"]["mongodb"]
        assert check["status"] == "ok"
        assert 0 < check["latency_ms"] < 1000


async def test_liveness_checks_only_the_process(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {}}


# Outages answer within this database deadline; the clients wait far longer (60 s), so
# a 503 that comes late on a loaded machine still counts and a hang still fails.
OUTAGE_DEADLINE = {"MONGODB_TIMEOUT_MS": "1000"}


def _valid_token() -> dict[str, str]:
    # Signed with the service process's real key, so only the database can refuse it.
    codec = TokenCodec(
        keys=read_variables(SERVICE_PROCESS_SIGNING_KEY, None),
        issuer="users-service",
        audience="users-service",
        ttl=timedelta(minutes=5),
    )
    return {"Authorization": f"Bearer {codec.encode(str(ObjectId()), 0, 'session')}"}


def _assert_unavailable(base_url: str) -> None:
    ready = httpx.get(f"{base_url}/health/ready", timeout=60)
    assert ready.status_code == 503
    assert ready.json()["checks"]["mongodb"]["status"] == "fail"
    health = httpx.get(f"{base_url}/health", timeout=60)
    assert health.status_code == 503
    token = _valid_token()
    for response in (
        httpx.get(f"{base_url}/users", headers=token, timeout=60),
        httpx.get(f"{base_url}/users/{'a' * 24}", headers=token, timeout=60),
        httpx.post(f"{base_url}/users", json=user_payload(), timeout=60),
        httpx.post(f"{base_url}/auth/token", data={"username": "x", "password": "y"}, timeout=60),
    ):
        assert response.status_code == 503, response.request.url
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "1"
        body = response.json()
        assert body["title"] == "Service Unavailable"
        assert "Traceback" not in response.text
        assert "127.0.0.1" not in response.text
    assert httpx.get(f"{base_url}/health/live", timeout=60).status_code == 200


def test_no_database_listening_gives_503_not_500(tmp_path: Path) -> None:
    dead_url = f"mongodb://127.0.0.1:{free_port()}"
    with running_service(
        dead_url, "nowhere", tmp_path / "service.log", extra_env=OUTAGE_DEADLINE
    ) as base_url:
        _assert_unavailable(base_url)


@pytest.fixture
def own_server(tmp_path: Path) -> LocalServer:
    """A database server this test may stop and start (never the shared one)."""
    return start_server(tmp_path / "db", use_env=False)


def _wait_ready(base_url: str, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while httpx.get(f"{base_url}/health/ready", timeout=60).status_code != 200:
        assert time.monotonic() < deadline, "service did not become ready again"
        time.sleep(0.2)


def test_database_stopped_mid_run_then_back_recovers_without_restart(
    own_server: LocalServer, tmp_path: Path
) -> None:
    try:
        with running_service(
            own_server.url, "recovery", tmp_path / "service.log", extra_env=OUTAGE_DEADLINE
        ) as base_url:
            created = httpx.post(f"{base_url}/users", json=user_payload(), timeout=60)
            assert created.status_code == 201

            own_server.stop()
            _assert_unavailable(base_url)

            own_server.restart()
            _wait_ready(base_url)
            user = created.json()
            tokens = httpx.post(
                f"{base_url}/auth/token",
                data={"username": user["username"], "password": DEFAULT_PASSWORD},
                timeout=60,
            ).json()
            users = httpx.get(f"{base_url}/users", headers=bearer(tokens), timeout=60)
            assert users.status_code == 200
            assert [found["id"] for found in users.json()] == [user["id"]]
    finally:
        own_server.stop()


def test_service_that_starts_before_its_database_becomes_ready(tmp_path: Path) -> None:
    port = free_port()
    with running_service(
        f"mongodb://127.0.0.1:{port}", "late", tmp_path / "service.log", extra_env=OUTAGE_DEADLINE
    ) as url:
        assert httpx.get(f"{url}/health/ready", timeout=60).status_code == 503
        server = start_server(tmp_path / "db", use_env=False, port=port)
        try:
            _wait_ready(url)
            created = httpx.post(f"{url}/users", json=user_payload(), timeout=60)
            assert created.status_code == 201
        finally:
            server.stop()
