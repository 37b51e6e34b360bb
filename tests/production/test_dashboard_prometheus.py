"""Every dashboard panel and alert rule, evaluated by a real Prometheus scraping the service.

The service is the production lane (tests/production/conftest.py): two workers with
multiprocess metrics, ENVIRONMENT=production behind PUBLIC_BASE_URL and ALLOWED_HOSTS,
Redis rate limits, the iris model, as production runs it. A Prometheus (Debian's
`prometheus` binary) scrapes it every second and loads docker/prometheus/alerts.yml. After
a mixed load (registrations, logins and a failed one, reads, updates, avatar uploads
accepted and refused, deletions) spread over several scrapes, every panel query must
succeed and return at least one finite sample, the known values must read as what
happened, and every rule must evaluate without error.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from scripts.localdb import free_port
from tests.avatars import images
from tests.production.conftest import ProductionService
from tests.service_process import stop_process

REPO_ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = REPO_ROOT / "docker/grafana/dashboards/users-service.json"
ALERTS = REPO_ROOT / "docker/prometheus/alerts.yml"
ROUNDS = 6
PASSWORD = "dashboard-password-1234"


def _prometheus_binary() -> str:
    binary = shutil.which("prometheus")
    if binary is None:
        # Not a skip: without it the dashboard and the alerts would go unchecked unnoticed.
        pytest.fail(
            "the dashboard test needs Prometheus on PATH: apt-get install prometheus "
            "(Debian package `prometheus`, as scripts/check_deploy.sh uses)"
        )
    return binary


@pytest.fixture
def prometheus_for(tmp_path: Path) -> Iterator[Any]:
    """Start Prometheus scraping a given target each second; yield its query function."""
    binary = _prometheus_binary()
    processes: list[subprocess.Popen[bytes]] = []
    clients: list[httpx.Client] = []

    def start(target: str) -> httpx.Client:
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(ALERTS)],
            "scrape_configs": [
                {
                    "job_name": "users-service",
                    "metrics_path": "/metrics",
                    "static_configs": [{"targets": [target]}],
                }
            ],
        }
        (tmp_path / "prometheus.yml").write_text(json.dumps(config))  # JSON is YAML
        port = free_port()
        with (tmp_path / "prometheus.log").open("wb") as log:
            process = subprocess.Popen(
                [
                    binary,
                    f"--config.file={tmp_path / 'prometheus.yml'}",
                    f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                    f"--web.listen-address=127.0.0.1:{port}",
                    "--log.level=warn",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        processes.append(process)
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        clients.append(api)
        deadline = time.monotonic() + 120  # a cap against a hung start
        while True:
            try:
                if api.get("/-/ready").status_code == 200:
                    return api
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / "prometheus.log").read_text()[-2000:])
            time.sleep(0.2)

    yield start
    for client in clients:
        client.close()
    for process in processes:
        stop_process(process)


def _mixed_load(service: ProductionService, round_no: int) -> None:
    """One round of what users do: every panel's series moves within it."""
    with service.client() as http:  # a client address per round: under the auth limit
        name = f"dash{round_no:02d}{time.monotonic_ns() % 100000:05d}"
        created = http.post(
            "/users",
            json={"username": name, "email": f"{name}@example.com", "password": PASSWORD},
        )
        assert created.status_code == 201, created.text
        user_id = created.json()["id"]
        wrong = http.post("/auth/token", data={"username": name, "password": "not-the-password"})
        assert wrong.status_code == 401, wrong.text
        tokens = http.post("/auth/token", data={"username": name, "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
        auth = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
        assert http.get("/users", params={"limit": 5}, headers=auth).status_code == 200
        assert http.get(f"/users/{user_id}", headers=auth).status_code == 200
        patched = http.patch(f"/users/{user_id}", json={"name": "Dash Board"}, headers=auth)
        assert patched.status_code == 200, patched.text
        upload = {"file": ("a.png", images.png(64, 64), "image/png")}
        assert http.put(f"/users/{user_id}/avatar", files=upload, headers=auth).status_code == 200
        refused = {"file": ("a.png", b"not an image", "image/png")}
        assert http.put(f"/users/{user_id}/avatar", files=refused, headers=auth).status_code == 415
        assert http.get(f"/users/{user_id}/avatar").status_code == 200
        row = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
        for _ in range(2):  # the second is a cache hit
            predicted = http.post("/models/iris/predictions", json={"rows": [row]}, headers=auth)
            assert predicted.status_code == 200, predicted.text
        assert http.delete(f"/users/{user_id}", headers=auth).status_code == 204


def _wait_for_scrape_after(api: httpx.Client, moment: float) -> None:
    """Return once Prometheus holds a scrape of the service taken after `moment` (Unix s)."""
    deadline = time.monotonic() + 120  # only a Prometheus that stopped scraping waits this long
    while True:
        scraped = _query(api, 'timestamp(up{job="users-service"} == 1)')
        if scraped and float(scraped[0]["value"][1]) > moment:
            return
        assert time.monotonic() < deadline, f"no scrape after {moment}: {scraped}"
        time.sleep(0.1)


def _query(api: httpx.Client, expr: str) -> list[dict[str, Any]]:
    response = api.get("/api/v1/query", params={"query": expr})
    body = response.json()
    assert response.status_code == 200, f"{expr}: {body}"
    assert body["status"] == "success", f"{expr}: {body}"
    result: list[dict[str, Any]] = body["data"]["result"]
    return result


def _values(result: list[dict[str, Any]], **labels: str) -> list[float]:
    return [
        float(sample["value"][1])
        for sample in result
        if all(sample["metric"].get(key) == value for key, value in labels.items())
    ]


def test_every_panel_and_rule_evaluates_against_a_real_prometheus(
    production_service: ProductionService, prometheus_for: Any
) -> None:
    # Prometheus scrapes the pod by address, as in Kubernetes: no public Host needed.
    api: httpx.Client = prometheus_for(production_service.base_url.removeprefix("http://"))
    for round_no in range(ROUNDS):  # spread over scrapes, so rates see increases
        _mixed_load(production_service, round_no)
        _wait_for_scrape_after(api, time.time())
    # Two more scrapes (and, at the same interval, rule evaluations) after the last round.
    _wait_for_scrape_after(api, time.time() + 2)

    dashboard = json.loads(DASHBOARD.read_text())
    results: dict[str, list[dict[str, Any]]] = {}
    problems = []
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            result = _query(api, target["expr"])
            results[f"{panel['title']}/{target['legendFormat']}"] = result
            finite = [v for v in _values(result) if math.isfinite(v)]
            if not finite:
                problems.append(f"{panel['title']} [{target['legendFormat']}]: {result}")
    assert not problems, "panels with no data or only NaN:\n" + "\n".join(problems)

    # The panels say what happened: no 5xx, one failed login per round, avatars counted
    # by format and refusals by reason, the database up.
    assert _values(results["Error rate (5xx share)/5xx"]) == [0.0]
    assert _values(results["Readiness (MongoDB reachable)/ready"]) == [1.0]
    assert _values(results["Logins: failures and throttling per minute/failed (401)"])[0] > 0
    assert _values(results["Logins: failures and throttling per minute/throttled (429)"]) == [0.0]
    uploads = results["Avatar uploads and rejections per minute/upload {{format}}"]
    assert _values(uploads, format="png")[0] > 0
    assert _values(uploads, format="gif") == [0.0]  # pre-initialised, never seen
    rejected = results["Avatar uploads and rejections per minute/rejected {{reason}}"]
    assert _values(rejected, reason="unsupported-image")[0] > 0
    assert _values(rejected, reason="invalid-image") == [0.0]
    p50 = results["Latency p50 by route and method/{{method}} {{handler}}"]
    assert {s["metric"]["method"] for s in p50} >= {"GET", "POST", "PUT", "PATCH", "DELETE"}
    assert all(v < 0.25 for v in _values(p50, handler="/users/{user_id}", method="GET"))

    model_panel = "Model predictions per minute and cache hits"
    models = results[f"{model_panel}/requests {{{{model}}}} v{{{{version}}}}"]
    assert _values(models, model="iris", version="1")[0] > 0
    hits = results[f"{model_panel}/cache hit share"]
    assert 0 < _values(hits)[0] <= 1

    rules = api.get("/api/v1/rules").json()["data"]["groups"]
    evaluated = [rule for group in rules for rule in group["rules"]]
    assert len(evaluated) >= 20
    broken = [(r["name"], r.get("lastError")) for r in evaluated if r["health"] != "ok"]
    assert not broken, f"rules that failed to evaluate: {broken}"
    recorded = _query(api, "users_service:http_slow_reads:ratio_rate5m")
    assert _values(recorded, job="users-service"), "recording rules produced nothing"
    firing = _query(api, 'ALERTS{alertstate="firing"}')
    assert not firing, f"alerts firing on healthy traffic: {firing}"
