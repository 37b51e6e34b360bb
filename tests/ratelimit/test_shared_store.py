"""Real uvicorn workers sharing one Redis: exact counts, and what happens when Redis dies."""

from __future__ import annotations

import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from prometheus_client.mmap_dict import MmapedDict

from scripts.localdb import LocalServer
from scripts.localredis import LocalRedis, start_redis
from service.config import Settings
from tests.service_process import running_service
from tests.test_metrics import _sample

MISSING_AVATAR = "/users/0123456789abcdef01234567/avatar"  # a public read answering 404


def _answered_by_each_worker(metrics_dir: Path) -> list[float]:
    counts = []
    for file in metrics_dir.glob("counter_*.db"):
        mmap = MmapedDict(str(file), read_mode=True)
        counts.append(
            sum(
                value
                for key, value, _ in mmap.read_all_values()
                # Admitted requests are counted by route; refused ones as rejections.
                if json.loads(key)[0] in ("http_requests", "rate_limit_rejections")
            )
        )
        mmap.close()
    return counts


def test_two_workers_admit_exactly_the_limit_of_concurrent_requests(
    mongo_server: LocalServer, settings: Settings, redis_server: LocalRedis, tmp_path: Path
) -> None:
    limit, sent = 25, 80
    metrics_dir = tmp_path / "prometheus"
    with running_service(
        mongo_server.url,
        settings.mongodb_db,
        tmp_path / "service.log",
        workers=2,
        extra_env={
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            "RATE_LIMIT_ENABLED": "true",
            "RATE_LIMIT_STORAGE_URL": redis_server.url,
            "RATE_LIMIT_READ": f"{limit}/minute",
            # Exactness is measured here, not failing open: give a loaded machine time.
            "RATE_LIMIT_STORE_TIMEOUT_MS": "2000",
        },
    ) as base_url:
        # Both workers up before the burst: each writes its counter file as its app starts
        # (pre-initialised counters), and a worker still starting would get no requests.
        deadline = time.monotonic() + 30
        while len(list(metrics_dir.glob("counter_*.db"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)

        def fetch(_: int) -> int:
            # A new connection each time, so the kernel hands requests to both workers.
            return httpx.get(base_url + MISSING_AVATAR, timeout=10).status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(fetch, range(sent)))
        time.sleep(0.2)  # let the workers finish writing their metrics files
        per_worker = _answered_by_each_worker(metrics_dir)
        scraped = httpx.get(base_url + "/metrics", timeout=10).text

    assert statuses.count(404) == limit
    assert statuses.count(429) == sent - limit
    assert len(per_worker) == 2, per_worker
    assert all(count > 0 for count in per_worker), per_worker
    assert _sample(scraped, "rate_limit_rejections_total", group="read") == sent - limit
    assert _sample(scraped, "rate_limit_store_unavailable_total") == 0


def test_store_down_fails_open_logs_and_counts_then_recovers(
    mongo_server: LocalServer, settings: Settings, tmp_path: Path
) -> None:
    redis = start_redis(tmp_path / "redis", use_env=False)
    log_path = tmp_path / "service.log"
    try:
        with (
            running_service(
                mongo_server.url,
                settings.mongodb_db,
                log_path,
                extra_env={
                    "LOG_LEVEL": "INFO",
                    "RATE_LIMIT_ENABLED": "true",
                    "RATE_LIMIT_STORAGE_URL": redis.url,
                    "RATE_LIMIT_READ": "3/minute",
                    "RATE_LIMIT_STORE_TIMEOUT_MS": "100",
                    "RATE_LIMIT_STORE_RETRY_S": "0.5",
                },
            ) as base_url,
            httpx.Client(base_url=base_url, timeout=10) as client,
        ):
            statuses = [client.get(MISSING_AVATAR).status_code for _ in range(4)]
            assert statuses == [404, 404, 404, 429]

            # Stopped: refused connections. Requests go through, unchecked and fast.
            redis.stop()
            for _ in range(10):
                started = time.perf_counter()
                response = client.get(MISSING_AVATAR)
                assert response.status_code == 404
                assert "ratelimit" not in response.headers
                assert response.headers["ratelimit-policy"] == '"read";q=3;w=60'
                assert time.perf_counter() - started < 0.5

            # Frozen: the socket timeout bounds the one request that tries the store;
            # the next ones skip it until the retry delay has passed.
            redis.restart()
            time.sleep(0.6)  # past the retry delay: the store is tried, and answers
            back = client.get(MISSING_AVATAR)
            assert back.headers["ratelimit"] == '"read";r=2;t=60'  # a fresh Redis
            assert redis.pid is not None
            os.kill(redis.pid, signal.SIGSTOP)
            try:
                durations = []
                for _ in range(5):
                    started = time.perf_counter()
                    assert client.get(MISSING_AVATAR).status_code == 404
                    durations.append(time.perf_counter() - started)
                assert max(durations) < 0.5, durations
            finally:
                os.kill(redis.pid, signal.SIGCONT)

            time.sleep(0.6)  # past the retry delay: counting resumes on the live store
            # The hit that timed out while Redis was frozen was applied when it woke.
            statuses = [client.get(MISSING_AVATAR).status_code for _ in range(3)]
            assert statuses == [404, 429, 429]
            unchecked = _sample(client.get("/metrics").text, "rate_limit_store_unavailable_total")
            assert unchecked == 15
    finally:
        redis.stop()
    events = [
        json.loads(line)["event"]
        for line in log_path.read_text().splitlines()
        if line.startswith("{")
    ]
    assert events.count("ratelimit.store_unavailable") == 2  # once per outage, not per request
    assert events.count("ratelimit.store_recovered") == 2
