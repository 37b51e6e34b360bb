"""`python -m bench.models`: prediction latency of the bundled iris model, 1 and 100 rows.

The whole service runs in-process (real lifespan, FerretDB on loopback, the HTTP stack via
ASGI), so the figures include routing, auth, validation and serialisation but no network.
Each size is measured with the prediction cache off (every request runs ONNX Runtime) and
on (every request after the first is a hit). Prints p50/p99 latency, rows/s and CPU per
request (process CPU time / requests; one thread of inference at a time).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from pymongo import AsyncMongoClient

from scripts.localdb import start_server
from service.cli.model_seed import register_trained
from service.core.config import Settings
from service.core.setting_types import Environment
from service.main import create_app
from service.models.train import train_iris
from tests.factories import make_admin

REQUESTS = 300


def _rows(n: int, rng: random.Random) -> list[dict[str, float]]:
    names = ("sepal_length", "sepal_width", "petal_length", "petal_width")
    return [{k: round(rng.uniform(0.1, 8.0), 2) for k in names} for _ in range(n)]


async def _measure(client: httpx.AsyncClient, n_rows: int, fresh: bool) -> str:
    rng = random.Random(n_rows)
    same = {"rows": _rows(n_rows, rng)}
    latencies = []
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    for _ in range(REQUESTS):
        body = {"rows": _rows(n_rows, rng)} if fresh else same
        started = time.perf_counter()
        response = await client.post("/models/iris/predictions", json=body)
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    wall = time.perf_counter() - wall_started
    cpu_ms = (time.process_time() - cpu_started) / REQUESTS * 1000
    q = statistics.quantiles(latencies, n=100)
    mode = "miss (ONNX Runtime)" if fresh else "hit (cache)"
    return (
        f"| {n_rows:>3} | {mode:<19} | {q[49]:6.2f} | {q[98]:6.2f} | "
        f"{REQUESTS * n_rows / wall:9.0f} | {cpu_ms:5.2f} |"
    )


async def main() -> None:
    """Start the service on a scratch database, register iris, print the table."""
    with tempfile.TemporaryDirectory() as scratch:
        server = start_server(Path(scratch))
        settings = Settings(
            environment=Environment.TEST,
            mongodb_url=server.url,
            mongodb_db=f"bench_{uuid.uuid4().hex[:8]}",
            jwt_secret="bench-" + "x" * 40,
            argon2_time_cost=1,
            argon2_memory_cost_kib=8192,
            rate_limit_enabled=False,
            access_log_enabled=False,
            log_level="WARNING",
        )
        try:
            await register_trained(settings, train_iris())
            app = create_app(settings)
            async with LifespanManager(app) as manager:
                transport = httpx.ASGITransport(app=manager.app)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
                    await make_admin(client)
                    print("| rows | answered by | p50 ms | p99 ms | rows/s | CPU ms/request |")
                    print("|---:|---|---:|---:|---:|---:|")
                    for n_rows in (1, 100):
                        for fresh in (True, False):
                            print(await _measure(client, n_rows, fresh))
        finally:
            mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(server.url)
            await mongo.drop_database(settings.mongodb_db)
            await mongo.close()
            server.stop()


if __name__ == "__main__":
    asyncio.run(main())
