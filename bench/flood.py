"""`make bench-flood`: an anonymous flood against two workers while a client keeps reading.

Starts a database and the service with production settings (Argon2id 64 MiB, t=3; two
uvicorn workers), then at once: 200 concurrent logins for unknown users, 50 concurrent
multipart registrations each carrying a PNG that decodes to the full pixel budget, and
one authenticated reader looping on `GET /users/{id}`. Reports peak RSS per worker
(VmHWM) against the memory formula and the chart's limit, the reader's latency and
errors during the flood, and how the flood was answered. The section replaces the
"Flood" part of bench/RESULTS.md. Bounded: everything on loopback, one pass.

Then the model flood (`bench/model_flood.py`: hostile models and 150 connections) unless
FLOOD_MODELS=0; it writes its own section.

Environment: FLOOD_LOGINS (200), FLOOD_BOMBS (50), FLOOD_MODELS (1).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from bench.flood_report import JWT_SECRET, FloodReport, render, render_limited, write_section
from bench.production_env import PRODUCTION_ENV
from scripts.localdb import free_port, start_server
from scripts.localredis import start_redis
from service.core.config import Settings
from tests.avatars.images import bomb_png

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "flood-reader-password"  # noqa: S105 - a throwaway account of the bench database


def _status_field(pid: int, name: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _workers(master: int) -> list[int]:
    """The uvicorn worker processes under `master` (the ones running the app)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [
        int(pid)
        for pid in children
        if "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    ]


def _start_service(
    mongodb_url: str, port: int, log: Path, rate_limit_url: str | None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MONGODB_URL": mongodb_url,
        "MONGODB_DB": "flood",
        **PRODUCTION_ENV,
        "JWT_SECRET": JWT_SECRET,
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="flood-metrics-"),
        # The first pass measures memory under the per-worker bounds, so the rate limiter,
        # which would refuse the flood long before those are reached, is off; the second
        # pass runs with the default limits on a real Redis.
        "RATE_LIMIT_ENABLED": "true" if rate_limit_url else "false",
        "RATE_LIMIT_STORAGE_URL": rate_limit_url or "memory://",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "service", "serve", "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def _wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            try:
                if (await client.get("/health/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the service did not become ready")


async def _reader(base: str, stop: asyncio.Event) -> tuple[list[float], int]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        created = await client.post(
            "/users",
            json={"username": "reader", "email": "reader@example.com", "password": PASSWORD},
        )
        tokens = await client.post("/auth/token", data={"username": "reader", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
        url = f"/users/{created.json()['id']}"
        latencies: list[float] = []
        errors = 0
        await stop.wait()  # armed: the flood starts now
        stop.clear()
        while not stop.is_set():
            started = time.perf_counter()
            try:
                response = await client.get(url, headers=headers)
                errors += response.status_code != 200
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)
        return latencies, errors


def _outcome(response: httpx.Response) -> str:
    """The status, with the problem type's last word for errors (e.g. `503 worker-busy`)."""
    if response.status_code < 400:
        return str(response.status_code)
    try:
        kind = str(response.json().get("type", "")).rsplit(":", 1)[-1].rsplit("/", 1)[-1]
    except ValueError:
        kind = "not-json"
    return f"{response.status_code} {kind}"


async def _flood(base: str, logins: int, bombs: int) -> tuple[Counter[str], Counter[str]]:
    bomb = bomb_png(2896, 2896)  # 8.39 M pixels: just inside the default pixel budget
    limits = httpx.Limits(max_connections=logins + bombs, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def login(i: int) -> str:
            data = {"username": f"nobody{i}", "password": "wrong-password"}
            try:
                return _outcome(await client.post("/auth/token", data=data))
            except httpx.HTTPError:
                return "failed"

        async def register(i: int) -> str:
            form = {"username": f"bomb{i}", "email": f"bomb{i}@example.com", "password": PASSWORD}
            files = {"avatar": ("bomb.png", bomb, "image/png")}
            try:
                return _outcome(await client.post("/users", data=form, files=files))
            except httpx.HTTPError:
                return "failed"

        results = await asyncio.gather(
            asyncio.gather(*(login(i) for i in range(logins))),
            asyncio.gather(*(register(i) for i in range(bombs))),
        )
    return Counter(results[0]), Counter(results[1])


async def run(logins: int, bombs: int, rate_limit_url: str | None = None) -> FloodReport:
    """Start everything, flood once, measure."""
    settings = Settings(environment="test", jwt_secret=JWT_SECRET)
    argon2_mib = settings.argon2_memory_cost_kib / 1024
    decode_mib = settings.avatar_max_pixels * 14 / 2**20  # measured ~13-14 bytes per pixel
    with tempfile.TemporaryDirectory(prefix="flood-") as scratch:
        database = start_server(Path(scratch) / "db", use_env=False)
        port = free_port()
        service = _start_service(database.url, port, Path(scratch) / "service.log", rate_limit_url)
        base = f"http://127.0.0.1:{port}"
        try:
            await _wait_ready(base)
            workers = _workers(service.pid)
            stop = asyncio.Event()
            reader = asyncio.create_task(_reader(base, stop))
            await asyncio.sleep(2)  # reader registered and logged in
            base_rss = [_status_field(pid, "VmRSS") for pid in workers]
            stop.set()
            await asyncio.sleep(0.2)
            started = time.perf_counter()
            login_statuses, bomb_statuses = await _flood(base, logins, bombs)
            seconds = time.perf_counter() - started
            stop.set()
            latencies, errors = await reader
            async with httpx.AsyncClient(base_url=base, timeout=10) as scraper:
                scraped = (await scraper.get("/metrics")).text
            unchecked = sum(
                float(line.split()[-1])
                for line in scraped.splitlines()
                if line.startswith("rate_limit_store_unavailable_total")
            )
            peaks = [_status_field(pid, "VmHWM") for pid in workers]
            master_peak = _status_field(service.pid, "VmHWM")
        finally:
            service.terminate()
            service.wait(timeout=30)
            database.stop()
    quantiles = statistics.quantiles(latencies, n=100)
    base_mib = max(base_rss)
    return FloodReport(
        worker_base_mib=base_rss,
        worker_peak_mib=peaks,
        master_peak_mib=master_peak,
        unchecked_by_limiter=unchecked,
        formula_mib=base_mib
        + settings.hash_concurrency * argon2_mib
        + settings.decode_concurrency * decode_mib,
        reader_p50_ms=quantiles[49],
        reader_p99_ms=quantiles[98],
        reader_requests=len(latencies),
        reader_errors=errors,
        logins=login_statuses,
        bombs=bomb_statuses,
        seconds=seconds,
    )


def main() -> None:
    """Run the flood twice (limiter off, then on) and write its section."""
    logins = int(os.environ.get("FLOOD_LOGINS", "200"))
    bombs = int(os.environ.get("FLOOD_BOMBS", "50"))
    report = asyncio.run(run(logins, bombs))
    with tempfile.TemporaryDirectory(prefix="flood-redis-") as scratch:
        redis = start_redis(Path(scratch), use_env=False)
        try:
            limited = asyncio.run(run(logins, bombs, rate_limit_url=redis.url))
        finally:
            redis.stop()
    section = render(report, logins, bombs) + render_limited(limited)
    write_section(section)
    print(section)
    if os.environ.get("FLOOD_MODELS", "1") != "0":
        from bench import model_flood  # imports this module: loaded only when it runs

        model_flood.main()


if __name__ == "__main__":
    main()
