"""The production configuration, checked from outside: what operators and attackers see."""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
import uuid
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import httpx
import redis
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from service.config import Settings
from service.main import create_app
from tests.factories import DEFAULT_PASSWORD, user_payload
from tests.production.conftest import (
    PRODUCTION_JWT_SECRET,
    PUBLIC_BASE_URL,
    PUBLIC_HOST,
    ProductionService,
    next_client_address,
    wait_for_log,
)
from tests.smtp_server import text_of
from tests.test_metrics import _sample

PROBLEM = "application/problem+json"
# Routes the metrics leave out on purpose (service.metrics.UNCOUNTED_PREFIXES).
UNCOUNTED = ("/metrics", "/health")
# A value for each path parameter: well-formed, naming nothing that exists.
PATH_VALUES = {
    "user_id": "0" * 24,
    "session_id": "0" * 24,
    "name": "iris",
    "version": "999",
}


def _route_templates() -> list[tuple[str, str]]:
    """Every (method, template) the production app serves, from its own OpenAPI document,
    HEAD wherever GET is served."""
    settings = Settings(
        environment="production",
        jwt_secret=PRODUCTION_JWT_SECRET,
        public_base_url=PUBLIC_BASE_URL,
        smtp_host="127.0.0.1",
    )
    paths = create_app(settings).openapi()["paths"]
    pairs = []
    for template, operations in paths.items():
        for method in operations:
            pairs.append((method.upper(), template))
            if method == "get":
                pairs.append(("HEAD", template))
    return sorted(pairs)


def _per_worker_requests(metrics_dir: Path) -> dict[str, float]:
    """`http_requests_total` summed per worker, from each worker's own metrics file."""
    totals = {}
    for worker_file in metrics_dir.glob("counter_*.db"):
        with tempfile.TemporaryDirectory() as alone:
            shutil.copy(worker_file, alone)
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=alone)
            totals[worker_file.stem] = sum(
                sample.value
                for metric in registry.collect()
                for sample in metric.samples
                if sample.name == "http_requests_total"
            )
    return totals


def _walk_every_route(
    service: ProductionService,
) -> tuple[Counter[tuple[str, str, str]], dict[str, tuple[str, str]]]:
    """One request to every (method, template); what was answered, and each request id's
    (method, template)."""
    routes = [pair for pair in _route_templates() if not pair[1].startswith(UNCOUNTED)]
    assert len(routes) >= 30, routes
    sent: Counter[tuple[str, str, str]] = Counter()
    request_ids = {}
    for method, template in routes:
        path = template.format(**PATH_VALUES)
        request_id = uuid.uuid4().hex
        # A connection (and client address) per request: the kernel spreads them over
        # both workers, and no rate limit is reached.
        with service.client(**{"X-Request-ID": request_id}) as http:
            response = http.request(method, path)
        assert response.status_code < 500, (method, path, response.text)
        sent[(template, method, str(response.status_code))] += 1
        request_ids[request_id] = (method, template)
    return sent, request_ids


def test_every_route_template_is_counted_by_method_and_status_across_both_workers(
    production_service: ProductionService,
) -> None:
    before = production_service.metrics()
    sent, _ = _walk_every_route(production_service)
    after = production_service.metrics()
    missing = []
    for (template, method, status), count in sorted(sent.items()):
        labels = {"handler": template, "method": method, "status": status}
        counted = _sample(after, "http_requests_total", **labels)
        counted -= _sample(before, "http_requests_total", **labels)
        if counted != count:
            missing.append(f"{method} {template} {status}: sent {count}, counted {counted}")
    assert not missing, "requests missing from /metrics:\n" + "\n".join(missing)

    # The sums above are both workers' (multiprocess files): make sure both really served.
    # The kernel may hand one worker a run of connections, so more come until it has not.
    per_worker = _per_worker_requests(production_service.metrics_dir)
    for _ in range(100):
        if len(per_worker) == 2 and all(total > 0 for total in per_worker.values()):
            break
        for _ in range(20):
            with production_service.client() as http:
                assert http.get("/").status_code == 200
        per_worker = _per_worker_requests(production_service.metrics_dir)
    assert len(per_worker) == 2, per_worker
    assert all(total > 0 for total in per_worker.values()), per_worker


def test_every_access_line_names_the_route_template(
    production_service: ProductionService,
) -> None:
    _, request_ids = _walk_every_route(production_service)
    lines = wait_for_log(production_service, set(request_ids))
    logged = {line["request_id"]: (line["method"], line["route"]) for line in lines}
    unrouted = {rid: (logged.get(rid), wanted) for rid, wanted in request_ids.items()}
    assert logged == request_ids, [pair for pair in unrouted.values() if pair[0] != pair[1]]


def test_the_service_tells_nothing_about_itself(production_service: ProductionService) -> None:
    with production_service.client() as http:
        index = http.get("/")
        assert index.status_code == 200
        assert "server" not in index.headers, index.headers
        links = index.json()["links"]
        assert (links["docs"], links["redoc"], links["openapi"]) == (None, None, None)
        assert links["users"] == f"{PUBLIC_BASE_URL}/users"
        hidden_paths = ("/docs", "/redoc", "/openapi.json", "/swagger")
        for path in (*hidden_paths, "/static/redoc/redoc.standalone.js"):
            hidden = http.get(path)
            assert hidden.status_code == 404, path
            assert hidden.headers["content-type"] == PROBLEM
            assert "server" not in hidden.headers


def test_a_foreign_host_is_refused_and_written_urls_use_the_public_origin(
    production_service: ProductionService,
) -> None:
    with production_service.client(Host="evil.example") as forged:
        refused = forged.post("/users", json=user_payload())
    assert refused.status_code == 400
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["type"] == "urn:users-service:problem:invalid-host"
    assert "location" not in refused.headers

    with production_service.client(Host=f"{PUBLIC_HOST}:8443") as http:
        created = http.post("/users", json=user_payload())
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{PUBLIC_BASE_URL}/users/{created.json()['id']}"


def test_etags_are_opaque_and_every_worker_honours_them(
    production_service: ProductionService,
) -> None:
    payload = user_payload()
    with production_service.client() as http:
        user = http.post("/users", json=payload).json()
        tokens = http.post(
            "/auth/token", data={"username": payload["username"], "password": DEFAULT_PASSWORD}
        )
        assert tokens.status_code == 200, tokens.text
    auth = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
    with production_service.client(**auth) as http:
        etag = http.get(f"/users/{user['id']}").headers["etag"]
    assert re.fullmatch(r'"[A-Za-z0-9_-]{24}"', etag), etag
    assert user["id"] not in etag
    # New connections land on either worker; each knows the tag (one shared key).
    for _ in range(12):
        with production_service.client(**auth, **{"If-None-Match": etag}) as http:
            assert http.get(f"/users/{user['id']}").status_code == 304


def test_a_reset_mail_reaches_the_smtp_server_with_a_public_link(
    production_service: ProductionService,
) -> None:
    payload = user_payload()
    with production_service.client() as http:
        assert http.post("/users", json=payload).status_code == 201
        asked = http.post("/auth/forgot-password", json={"email": payload["email"]})
    assert asked.status_code == 202, asked.text
    message = _wait_for_mail(production_service, payload["email"])
    assert f"{PUBLIC_BASE_URL}/auth/reset-password?token=" in text_of(message)


def _wait_for_mail(service: ProductionService, address: str) -> EmailMessage:
    # The mailbox waits on an event loop; this test has none of its own.
    return asyncio.run(service.mailbox.wait_for(address, "Reset your password", timeout_s=120))


def test_iris_is_served_by_the_ml_extra(production_service: ProductionService) -> None:
    payload = user_payload()
    with production_service.client() as http:
        assert http.post("/users", json=payload).status_code == 201
        tokens = http.post(
            "/auth/token", data={"username": payload["username"], "password": DEFAULT_PASSWORD}
        )
    auth = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
    row = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
    with production_service.client(**auth) as http:
        predicted = http.post("/models/iris/predictions", json={"rows": [row]})
    assert predicted.status_code == 200, predicted.text
    assert predicted.json()["predictions"][0]["label"] == "setosa", predicted.text
    # JSON has no NaN; the parser reads the literal, validation refuses it (as the README says).
    for literal in ("NaN", "Infinity", "1e400"):
        body = '{"rows": [{"sepal_length": %s, "sepal_width": 3.5, "petal_length": 1.4, ' % literal
        body += '"petal_width": 0.2}]}'
        with production_service.client(**auth, **{"Content-Type": "application/json"}) as http:
            refused = http.post("/models/iris/predictions", content=body)
        assert refused.status_code == 422, (literal, refused.text)
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["errors"][0]["loc"] == ["body", "rows", 0, "sepal_length"], literal


def test_the_auth_limit_is_shared_by_both_workers_through_redis(
    production_service: ProductionService,
) -> None:
    address = next_client_address()
    statuses = []
    for i in range(11):  # RATE_LIMIT_AUTH is 10/minute; each attempt on a new connection
        with production_service.client(address) as http:
            answer = http.post(
                "/auth/token", data={"username": f"nobody{i}", "password": "wrong-password"}
            )
        statuses.append(answer.status_code)
    assert statuses == [401] * 10 + [429], statuses
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["type"].endswith("rate-limited")
    assert int(answer.headers["retry-after"]) >= 1
    store = redis.Redis.from_url(production_service.redis_url)
    try:
        keys = [key.decode() for key in store.scan_iter(count=1000)]
    finally:
        store.close()
    assert any(address in key for key in keys), keys[:20]


def test_the_host_check_does_not_guard_probes_or_scrapes(
    production_service: ProductionService,
) -> None:
    # Kubelet and Prometheus address the pod by IP, with no public Host.
    for path in ("/health/live", "/health/ready", "/metrics"):
        answer = httpx.get(f"{production_service.base_url}{path}", timeout=60)
        assert answer.status_code == 200, path
    assert httpx.get(f"{production_service.base_url}/users", timeout=60).status_code == 400
