"""Every route of the production service, seen by its metrics and access log from outside.

With PUBLIC_BASE_URL set, a copied ASGI scope once hid the router's choice from the
metrics and the access log: no http_* series at all, every access line `"route": null`.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections import Counter
from pathlib import Path

from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from service.core.config import Settings
from service.main import create_app
from tests.conftest import TEST_SECOND_FACTOR_KEY
from tests.production.conftest import (
    PRODUCTION_JWT_SECRET,
    PUBLIC_BASE_URL,
    ProductionService,
    wait_for_log,
)
from tests.test_metrics import _sample

# Routes the metrics leave out on purpose (service.http.paths.OPERATIONS_PREFIXES).
UNCOUNTED = ("/metrics", "/health")
# A value for each path parameter: well-formed, naming nothing that exists.
PATH_VALUES = {
    "user_id": "0" * 24,
    "session_id": "0" * 24,
    "passkey_id": "0" * 24,
    "name": "iris",
    "version": "999",
}


def _route_templates() -> list[tuple[str, str]]:
    """Every (method, template) the production app serves, from its own OpenAPI document,
    HEAD wherever GET is served."""
    settings = Settings(
        environment="production",
        jwt_secret=PRODUCTION_JWT_SECRET,
        second_factor_key=TEST_SECOND_FACTOR_KEY,
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
