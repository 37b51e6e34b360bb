"""Real uvicorn workers sharing one Redis: exact counts, and what happens when Redis dies."""

from __future__ import annotations

import asyncio
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
from service.core.config import Settings
from tests.ratelimit.loopback_flood import flood
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
            # An hour's window: however slowly a loaded machine sends the burst, no window
            # resets in the middle of it.
            "RATE_LIMIT_READ": f"{limit}/hour",
            # Exactness is measured here, not failing open: give a loaded machine time.
            "RATE_LIMIT_STORE_TIMEOUT_MS": "5000",
        },
    ) as base_url:
        # Both workers up before the burst: each writes its counter file as its app starts
        # (pre-initialised counters), and a worker still starting would get no requests.
        deadline = time.monotonic() + 300  # a cap, not an expectation
        while len(list(metrics_dir.glob("counter_*.db"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)

        def fetch(_: int) -> int:
            # A new connection each time, so the kernel hands requests to both workers.
            return httpx.get(base_url + MISSING_AVATAR, timeout=60).status_code

        # Which worker accepts a connection is the kernel's choice: bursts go on (past the
        # first `sent`) until both have answered some, so the shared count is what is tested.
        statuses: list[int] = []
        per_worker: list[float] = []
        deadline = time.monotonic() + 300  # a cap, not an expectation
        with ThreadPoolExecutor(max_workers=16) as pool:
            while time.monotonic() < deadline:
                statuses += pool.map(fetch, range(sent if not statuses else 16))
                # A worker counts a request as its answer leaves: wait until all are counted.
                per_worker = _answered_by_each_worker(metrics_dir)
                while sum(per_worker) < len(statuses) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    per_worker = _answered_by_each_worker(metrics_dir)
                if len(per_worker) == 2 and all(count > 0 for count in per_worker):
                    break
        sent = len(statuses)
        scraped = httpx.get(base_url + "/metrics", timeout=60).text

    assert statuses.count(404) == limit
    assert statuses.count(429) == sent - limit
    assert len(per_worker) == 2, per_worker
    assert all(count > 0 for count in per_worker), per_worker
    assert _sample(scraped, "rate_limit_rejections_total", group="read") == sent - limit
    assert _sample(scraped, "rate_limit_store_unavailable_total") == 0


def _events(log_path: Path) -> list[str]:
    return [
        json.loads(line)["event"]
        for line in log_path.read_text().splitlines()
        if line.startswith("{")
    ]


def test_a_flood_of_200_connections_from_one_address_gets_the_limit_and_no_more(
    mongo_server: LocalServer, settings: Settings, redis_server: LocalRedis, tmp_path: Path
) -> None:
    """2,000 refreshes over 200 concurrent connections against an auth limit of 10 an hour.

    A hit that waits (on the event loop, or behind 199 others on the store's connection)
    is counted all the same: exactly the limit passes. Only if the store failed outright
    could more pass, and then each worker still admits at most the limit on its own
    count, so the bound holds however slow the machine is.
    """
    limit, workers, connections, per_connection = 10, 2, 200, 10
    metrics_dir = tmp_path / "prometheus"
    with running_service(
        mongo_server.url,
        settings.mongodb_db,
        tmp_path / "service.log",
        workers=workers,
        extra_env={
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            "RATE_LIMIT_ENABLED": "true",
            "RATE_LIMIT_STORAGE_URL": redis_server.url,
            # An hour's window: however long the flood takes, no window resets during it.
            "RATE_LIMIT_AUTH": f"{limit}/hour",
        },
    ) as base_url:
        sent = flood(
            base_url,
            connections=connections,
            per_connection=per_connection,
            method="POST",
            path="/auth/refresh",
            body=b'{"refresh_token": "not-a-refresh-token"}',
            content_type="application/json",
        )
        statuses = asyncio.run(asyncio.wait_for(sent, timeout=300))  # a hang fails, not blocks
        scraped = httpx.get(base_url + "/metrics", timeout=60).text

    refused = statuses.pop(429, 0)
    passed = sum(statuses.values())
    assert passed + refused == connections * per_connection
    assert set(statuses) == {401}, statuses  # every admitted refresh was answered
    unchecked = _sample(scraped, "rate_limit_store_unavailable_total")
    assert 1 <= passed <= (limit * workers if unchecked else limit), (passed, unchecked)
    assert _sample(scraped, "rate_limit_rejections_total", group="auth") == refused


def test_store_down_fails_open_to_each_workers_own_count_then_recovers(
    mongo_server: LocalServer, settings: Settings, tmp_path: Path
) -> None:
    redis = start_redis(tmp_path / "redis", use_env=False)
    log_path = tmp_path / "service.log"

    def get(client: httpx.Client, address: str) -> httpx.Response:
        return client.get(MISSING_AVATAR, headers={"X-Forwarded-For": address})

    try:
        with (
            running_service(
                mongo_server.url,
                settings.mongodb_db,
                log_path,
                extra_env={
                    "LOG_LEVEL": "INFO",
                    "TRUSTED_PROXIES": "127.0.0.1",
                    "RATE_LIMIT_ENABLED": "true",
                    "RATE_LIMIT_STORAGE_URL": redis.url,
                    "RATE_LIMIT_READ": "3/minute",
                    "RATE_LIMIT_STORE_TIMEOUT_MS": "200",
                    "RATE_LIMIT_STORE_FAILURES": "2",
                    "RATE_LIMIT_STORE_RETRY_S": "0.5",
                },
            ) as base_url,
            httpx.Client(base_url=base_url, timeout=60) as client,
        ):
            assert [get(client, "192.0.2.1").status_code for _ in range(4)] == [404] * 3 + [429]

            # Stopped: connections refused. Callers are admitted up to the limit on the
            # worker's own count, without a `RateLimit` field (the shared count is unknown).
            redis.stop()
            down = [get(client, "192.0.2.2") for _ in range(5)]
            assert [r.status_code for r in down] == [404] * 3 + [429] * 2
            assert not any("ratelimit" in r.headers for r in down[:3])
            assert all(r.headers["ratelimit-policy"] == '"read";q=3;w=60' for r in down)
            assert 1 <= int(down[3].headers["retry-after"]) <= 60
            # A caller the store had already refused stays refused.
            assert get(client, "192.0.2.1").status_code == 429

            # Back: once the retry delay has passed, the store counts again (each probe
            # from an address of its own, admitted unchecked until then).
            redis.restart()
            probes = 0
            deadline = time.monotonic() + 120  # a cap, not an expectation
            back = get(client, "192.0.2.100")
            while "ratelimit" not in back.headers and time.monotonic() < deadline:
                probes += 1
                back = get(client, f"192.0.2.{100 + probes}")
            assert back.headers["ratelimit"].startswith('"read";r=2;')  # a fresh Redis

            # Frozen: hits wait, then the silent store fails twice and is down; callers
            # are again admitted up to the limit, and refused past it.
            assert redis.pid is not None
            os.kill(redis.pid, signal.SIGSTOP)
            try:
                frozen = [get(client, "192.0.2.4").status_code for _ in range(4)]
            finally:
                os.kill(redis.pid, signal.SIGCONT)
            assert frozen == [404] * 3 + [429]
            unchecked = _sample(client.get("/metrics").text, "rate_limit_store_unavailable_total")
            assert unchecked == 3 + probes + 3
    finally:
        redis.stop()
    events = _events(log_path)
    assert events.count("ratelimit.store_unavailable") == 2  # once per outage, not per request
    assert events.count("ratelimit.store_recovered") == 1
