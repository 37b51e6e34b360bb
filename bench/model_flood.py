"""The model flood of `make bench-flood`: hostile models and 150 connections at two workers.

An admin uploads a model whose memory grows with the rows (each row expanded to 2**20
floats, 4 MiB: 30 rows fill the 128 MiB arena, 1000 rows would need 4 GiB) and tries the
519-byte ConstantOfShape model and a Loop. Then, at once, 150 connections of normal
users: half predict 1000 rows (more than the arena: refused by ONNX Runtime), half 30 rows
(at the arena's cap), every request with different values so none is a cache hit; one
authenticated reader loops on `GET /users/{id}` throughout, first quiet, then during the
flood. Reports peak RSS per worker against the formula with its models term and the
reader's p99 against the quiet one. Bounded: loopback, one pass.
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
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.flood import _outcome, _start_service, _status_field, _wait_ready, _workers
from bench.flood_report import MODEL_SECTION, ModelFloodReport, render_models, write_section
from scripts.localdb import free_port, start_server
from scripts.memory_budget import worst_case
from tests.models import hostile

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "model-flood-password"  # noqa: S105 - a throwaway account of the bench database
ADMIN_PASSWORD = "model-flood-admin-password"  # noqa: S105 - same
CONNECTIONS = 150
QUIET_S = 3.0


def _create_admin(mongodb_url: str) -> None:
    env = {
        **os.environ,
        "MONGODB_URL": mongodb_url,
        "MONGODB_DB": "flood",
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "LOG_LEVEL": "WARNING",
    }
    command = ["create-admin", "--username", "boss", "--email", "boss@example.com"]
    subprocess.run(
        [sys.executable, "-m", "service", *command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


async def _login(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    tokens = await client.post("/auth/token", data={"username": username, "password": password})
    tokens.raise_for_status()
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


async def _prepare(client: httpx.AsyncClient) -> tuple[Counter[str], dict[str, str], str]:
    """Upload the models (as the admin); register the reader. Return uploads' outcomes."""
    admin = await _login(client, "boss", ADMIN_PASSWORD)
    uploads: Counter[str] = Counter()
    for name, data in [
        ("wide", hostile.wide_rows(2**20)),
        ("bomb", hostile.constant_of_shape_from_input()),
        ("loop", hostile.endless_loop()),
    ]:
        response = await client.post(
            f"/models/{name}/versions",
            headers=admin,
            files={"file": ("m.onnx", data, "application/octet-stream")},
            data={"features": '[{"name": "x"}]'},
        )
        uploads[f"{name}: {_outcome(response)}"] += 1
    created = await client.post(
        "/users", json={"username": "reader", "email": "r@x.io", "password": PASSWORD}
    )
    return uploads, await _login(client, "reader", PASSWORD), f"/users/{created.json()['id']}"


async def _read_until(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], done: Callable[[], bool]
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    while not done():
        started = time.perf_counter()
        try:
            errors += (await client.get(url, headers=headers)).status_code != 200
        except httpx.HTTPError:
            errors += 1
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, errors


async def _flood(base: str, headers: dict[str, str]) -> Counter[str]:
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def predict(i: int) -> str:
            count = 1000 if i % 2 else 30
            rows = [{"x": i + j / 1000} for j in range(count)]  # unique: never a cache hit
            try:
                response = await client.post(
                    "/models/wide/predictions", json={"rows": rows}, headers=headers
                )
            except httpx.HTTPError:
                return f"{count} rows: failed"
            return f"{count} rows: {_outcome(response)}"

        return Counter(await asyncio.gather(*(predict(i) for i in range(CONNECTIONS))))


async def run() -> ModelFloodReport:
    """Start everything, measure quiet, flood once, measure."""
    with tempfile.TemporaryDirectory(prefix="model-flood-") as scratch:
        database = start_server(Path(scratch) / "db", use_env=False)
        port = free_port()
        _create_admin(database.url)
        service = _start_service(database.url, port, Path(scratch) / "service.log", None)
        base = f"http://127.0.0.1:{port}"
        try:
            await _wait_ready(base)
            workers = _workers(service.pid)
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                uploads, headers, url = await _prepare(client)
                base_rss = [_status_field(pid, "VmRSS") for pid in workers]
                quiet_until = time.perf_counter() + QUIET_S
                quiet, _ = await _read_until(
                    client, url, headers, lambda: time.perf_counter() > quiet_until
                )
                done = asyncio.Event()
                reader = asyncio.create_task(_read_until(client, url, headers, done.is_set))
                started = time.perf_counter()
                outcomes = await _flood(base, headers)
                seconds = time.perf_counter() - started
                done.set()
                loud, errors = await reader
            peaks = [_status_field(pid, "VmHWM") for pid in workers]
            after = [_status_field(pid, "VmRSS") for pid in workers]
            master_peak = _status_field(service.pid, "VmHWM")
        finally:
            service.terminate()
            service.wait(timeout=30)
            database.stop()
    worker_mib, models_mib, _ = worst_case({"WEB_CONCURRENCY": "2"})
    return ModelFloodReport(
        worker_base_mib=base_rss,
        worker_peak_mib=peaks,
        worker_after_mib=after,
        master_peak_mib=master_peak,
        formula_mib=worker_mib + models_mib,
        quiet_p99_ms=statistics.quantiles(quiet, n=100)[98],
        flood_p99_ms=statistics.quantiles(loud, n=100)[98],
        reader_requests=len(loud),
        reader_errors=errors,
        uploads=uploads,
        predictions=outcomes,
        seconds=seconds,
    )


def main() -> None:
    """Run the model flood once and write its section of bench/RESULTS.md."""
    section = render_models(asyncio.run(run()))
    write_section(section, MODEL_SECTION)
    print(section)


if __name__ == "__main__":
    main()
