"""With several uvicorn workers, /metrics counts every worker's requests exactly."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from scripts.localdb import LocalServer
from service.core.config import Settings
from tests.service_process import running_service
from tests.test_metrics import _sample


def test_two_workers_share_exact_request_counts(
    mongo_server: LocalServer, settings: Settings, tmp_path: Path
) -> None:
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"stale from an earlier run")
    requests = 40
    with (
        running_service(
            mongo_server.url,
            settings.mongodb_db,
            tmp_path / "service.log",
            workers=2,
            extra_env={"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
        ) as base_url,
        httpx.Client(base_url=base_url, timeout=60) as client,
    ):
        # Both workers up before the requests (each writes its counter file as its app
        # starts), so the kernel can hand them to either; the cap only stops a hung start.
        deadline = time.monotonic() + 300
        while len(list(metrics_dir.glob("counter_*.db"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        for _ in range(requests):
            # A new connection each time lets the kernel hand requests to either worker.
            assert httpx.get(f"{base_url}/health/ready", timeout=60).status_code == 200
            assert httpx.get(f"{base_url}/users", timeout=60).status_code == 401
        worker_files = {p.name for p in metrics_dir.glob("counter_*.db")}
        assert "counter_999999.db" not in worker_files  # wiped at start
        assert len(worker_files) == 2, f"expected one file per worker, got {worker_files}"
        for _ in range(4):  # whichever worker answers the scrape, the total is the same
            text = client.get("/metrics").text
            total = _sample(text, "http_requests_total", handler="/users", method="GET")
            assert total == requests
            ready = _sample(text, "http_requests_total", handler="/health/ready")
            assert ready == 0  # probes are not counted
