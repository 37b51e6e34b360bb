"""The production configuration, checked from outside: what operators and attackers see."""

from __future__ import annotations

import asyncio
import re
from email.message import EmailMessage

import httpx
import redis

from tests.factories import DEFAULT_PASSWORD, user_payload
from tests.production.conftest import (
    BREACHED_PASSWORD,
    PUBLIC_BASE_URL,
    PUBLIC_HOST,
    ProductionService,
    next_client_address,
)
from tests.smtp_server import text_of

PROBLEM = "application/problem+json"


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
    assert f"{PUBLIC_BASE_URL}/account/reset-password?token=" in text_of(message)


def test_a_breached_password_is_refused_by_the_corpus_production_asks(
    production_service: ProductionService,
) -> None:
    with production_service.client() as http:
        refused = http.post("/users", json=user_payload(password=BREACHED_PASSWORD))
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"].endswith("breached-password")
    assert BREACHED_PASSWORD not in refused.text


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
        rest = '"sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2'
        body = f'{{"rows": [{{"sepal_length": {literal}, {rest}}}]}}'
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


def test_the_logs_carry_no_password_hash_or_token(production_service: ProductionService) -> None:
    # After the registrations, logins, failed logins and reset mails of the tests above.
    logged = production_service.log_path.read_text(errors="replace")
    assert '"event":"http.request"' in logged.replace(" ", "")
    for secret in (DEFAULT_PASSWORD, "wrong-password", "$argon2", "eyJ", "token="):
        assert secret not in logged, secret
