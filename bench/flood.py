"""`make bench-flood`: an anonymous flood against two workers while a client keeps reading.

Starts a database and the service with production settings (Argon2id 64 MiB, t=3; two
uvicorn workers), then at once: 200 concurrent logins for unknown users, 50 concurrent
multipart registrations each carrying a PNG that decodes to the full pixel budget, and
one authenticated reader looping on `GET /users/{id}`. Reports peak RSS per worker
(VmHWM) against the memory formula and the chart's limit, the reader's latency and
errors during the flood, and how the flood was answered. The section replaces the
"Flood" part of bench/RESULTS.md. Bounded: everything on loopback, one pass.

Environment: FLOOD_LOGINS (200), FLOOD_BOMBS (50).
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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from scripts.localdb import free_port, start_server
from scripts.localredis import start_redis
from service.config import Settings
from tests.avatars.images import bomb_png

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench/RESULTS.md"
SECTION = "## Flood: admission control under an anonymous flood"
JWT_SECRET = "bench-only-signing-secret-" + "f" * 40
CHART_LIMIT_MIB = 832  # deploy/helm/users-service/values.yaml resources.limits.memory
PASSWORD = "flood-reader-password"  # noqa: S105 - a throwaway account of the bench database


@dataclass
class FloodReport:
    """What one flood measured."""

    worker_base_mib: list[float]
    worker_peak_mib: list[float]
    master_peak_mib: float
    unchecked_by_limiter: float
    formula_mib: float
    reader_p50_ms: float
    reader_p99_ms: float
    reader_requests: int
    reader_errors: int
    logins: Counter[str]
    bombs: Counter[str]
    seconds: float


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
        "ENVIRONMENT": "production",
        "SMTP_HOST": "127.0.0.1",  # production needs one; benches send no mail
        "JWT_SECRET": JWT_SECRET,
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="flood-metrics-"),
        "ALLOWED_HOSTS": "127.0.0.1",
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


def _statuses(counts: Counter[str]) -> str:
    return ", ".join(f"{outcome}: {n}" for outcome, n in sorted(counts.items()))


def render(report: FloodReport, logins: int, bombs: int) -> str:
    """The Markdown section for bench/RESULTS.md."""
    settings = Settings(environment="test", jwt_secret=JWT_SECRET)
    argon2_mib = settings.argon2_memory_cost_kib // 1024
    decode_mib = settings.avatar_max_pixels * 14 / 2**20
    hash_slots, decode_slots = settings.hash_concurrency, settings.decode_concurrency
    rows = "\n".join(
        f"| worker {i + 1} | {base:.0f} | {peak:.0f} | {report.formula_mib:.0f} | "
        f"{'yes' if peak <= report.formula_mib else 'NO'} |"
        for i, (base, peak) in enumerate(
            zip(report.worker_base_mib, report.worker_peak_mib, strict=True)
        )
    )
    workers = len(report.worker_peak_mib)
    pod_peak = report.master_peak_mib + sum(report.worker_peak_mib)
    pod_formula = report.master_peak_mib + workers * report.formula_mib
    within = "yes" if pod_peak <= min(pod_formula, CHART_LIMIT_MIB) else "NO"
    pod_row = (
        f"| pod (master {report.master_peak_mib:.0f} + workers) | - | {pod_peak:.0f} | "
        f"{pod_formula:.0f} | {within} (chart limit {CHART_LIMIT_MIB}) |"
    )
    error_rate = report.reader_errors / max(1, report.reader_requests)
    return f"""{SECTION}

Written by `make bench-flood` (`bench/flood.py`), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.
Two uvicorn workers with production settings: Argon2id {argon2_mib} MiB,
t={settings.argon2_time_cost}; {hash_slots} hashing slots and {decode_slots} decoding slot(s)
per worker; pixel budget {settings.avatar_max_pixels:,}; FerretDB on loopback. At once:
{logins} anonymous logins for unknown users, {bombs} multipart registrations each with a
2896x2896 PNG (8 KB on the wire, the whole pixel budget once decoded), and one authenticated
reader looping on `GET /users/{{id}}`. The flood took {report.seconds:.1f} s.

| process | RSS before MiB | peak RSS MiB (VmHWM) | formula MiB | within |
|---|---|---|---|---|
{rows}
{pod_row}

Per worker: base + hashing slots x Argon2 memory + decoding slots x decode budget (~14 bytes
per pixel) = {max(report.worker_base_mib):.0f} + {hash_slots} x {argon2_mib} + {decode_slots} x \
{decode_mib:.0f} = {report.formula_mib:.0f} MiB; per pod: master + workers x that.

| reader during the flood | value |
|---|---|
| requests | {report.reader_requests} |
| p50 ms | {report.reader_p50_ms:.1f} |
| p99 ms | {report.reader_p99_ms:.1f} |
| errors | {report.reader_errors} ({error_rate:.1%}) |

| flood | answers (status: count) |
|---|---|
| logins | {_statuses(report.logins)} |
| registrations with a bomb PNG | {_statuses(report.bombs)} |
"""


def write_section(section: str) -> None:
    """Replace (or append) the flood section of bench/RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if SECTION in text:
        before, _, rest = text.partition(SECTION)
        following = rest.find("\n## ")
        text = before + section + (rest[following + 1 :] if following >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def render_limited(report: FloodReport) -> str:
    """The second pass: the same flood with the default rate limits on a shared Redis."""
    error_rate = report.reader_errors / max(1, report.reader_requests)
    return f"""
The same flood again with the default rate limits on (shared Redis; `RATE_LIMIT_AUTH`
10/minute per client address covers logins and registrations), took {report.seconds:.1f} s:

| with rate limits | value |
|---|---|
| logins | {_statuses(report.logins)} |
| registrations with a bomb PNG | {_statuses(report.bombs)} |
| reader p50 / p99 ms | {report.reader_p50_ms:.1f} / {report.reader_p99_ms:.1f} |
| reader errors | {report.reader_errors} of {report.reader_requests} ({error_rate:.1%}) |
| peak RSS per worker MiB | {", ".join(f"{peak:.0f}" for peak in report.worker_peak_mib)} |
| requests let through unchecked (Redis timed out: fail open) | {report.unchecked_by_limiter:.0f} |
"""


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


if __name__ == "__main__":
    main()
