"""`python -m bench.ratelimit_cost`: the CPU the rate limiter adds to `GET /users/{id}`.

Three servers, one uvicorn worker each pinned to core 0, identical but for the limiter:
off, on with Redis (the production store) and on with memory. wrk, MongoDB (or FerretDB)
and Redis run on core 1. Variants are interleaved over several rounds and the figure is
the server's CPU time per request (see bench/harness.py). The read limit is set far above
what the run sends, so every request is counted and none is refused. Results go to
bench/RATELIMIT.md.

Environment: BENCH_ROUNDS (5), BENCH_SECONDS (4), BENCH_CONNECTIONS (16).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.harness import JWT_SECRET, measure
from bench.servers import LOAD_CORE, ROOT, ensure_wrk, pin, seed_users, start
from scripts.localdb import start_server
from scripts.localredis import start_redis

USERS = 1_000


def main() -> None:
    """Measure, print and write bench/RATELIMIT.md."""
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    seconds = float(os.environ.get("BENCH_SECONDS", "4"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="users-bench-rl-") as scratch:
        db = start_server(Path(scratch) / "db")
        redis = start_redis(Path(scratch) / "redis", use_env=False)
        servers = []
        try:
            for pid in (db.pid, redis.pid):
                if pid:
                    pin(pid, LOAD_CORE)
            database = f"bench_rl_{int(time.time())}"
            user_id, _ = seed_users(db.url, database, USERS)
            env = {
                "MONGODB_URL": db.url,
                "MONGODB_DB": database,
                "JWT_SECRET": JWT_SECRET,
                "ENVIRONMENT": "production",
                "SMTP_HOST": "127.0.0.1",  # production needs one; benches send no mail
                "ALLOWED_HOSTS": "127.0.0.1",
                "LOG_LEVEL": "INFO",
                "RATE_LIMIT_READ": "1000000000/hour",
            }
            serve = [sys.executable, "-m", "service", "serve", "--workers", "1"]
            variants = {
                "off": {"RATE_LIMIT_ENABLED": "false"},
                "redis": {"RATE_LIMIT_STORAGE_URL": redis.url},
                "memory": {"RATE_LIMIT_STORAGE_URL": "memory://"},
            }
            servers = [
                start(name, serve, {**env, **extra}, "/health/ready")
                for name, extra in variants.items()
            ]
            from service.auth.security import TokenCodec

            token = TokenCodec(
                JWT_SECRET, "HS256", "users-service", "users-service", timedelta(hours=1)
            ).encode(user_id, 0, "bench")
            auth = {"Authorization": f"Bearer {token}"}
            path = f"/users/{user_id}"
            for server in servers:
                probe = httpx.get(server.url + path, headers=auth)
                assert probe.status_code == 200, (server.name, probe.status_code)
                assert ("ratelimit" in probe.headers) == (server.name != "off"), server.name
                measure(server, path, 1, connections, auth, None)  # warm up
            runs: dict[str, list[dict[str, float]]] = {s.name: [] for s in servers}
            for round_no in range(rounds):
                order = servers[round_no % 3 :] + servers[: round_no % 3]
                for server in order:
                    run = measure(server, path, seconds, connections, auth, None)
                    assert run["errors"] == 0, (server.name, run)
                    runs[server.name].append(run)
                print(f"round {round_no + 1}/{rounds} done", file=sys.stderr)
        finally:
            for server in servers:
                server.process.terminate()
                server.process.wait(timeout=10)
            redis.stop()
            db.stop()
    _write(runs, rounds, seconds, connections)


def _write(
    runs: dict[str, list[dict[str, float]]], rounds: int, seconds: float, connections: int
) -> None:
    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    def spread(name: str) -> str:
        values = [run["cpu_us"] for run in runs[name]]
        return f"{min(values):,.0f}-{max(values):,.0f}"

    off = median("off", "cpu_us")
    lines = [
        "# Rate limiter cost",
        "",
        "Written by `python -m bench.ratelimit_cost`: `GET /users/{id}` with a valid token, "
        f"one uvicorn worker pinned to core 0, wrk with {connections} connections, the "
        f"database and Redis on core 1; medians of {rounds} interleaved rounds of "
        f"{seconds:g} s. Every request was counted (read limit far above the load).",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M UTC}",
        "",
        "| limiter | req/s | p50 ms | p99 ms | server CPU µs/req (spread) | vs off |",
        "|---|---|---|---|---|---|",
    ]
    for name in runs:
        cpu = median(name, "cpu_us")
        lines.append(
            f"| {name} | {median(name, 'rps'):,.0f} | {median(name, 'p50_ms'):.2f} | "
            f"{median(name, 'p99_ms'):.2f} | {cpu:,.0f} ({spread(name)}) | "
            f"{(cpu / off - 1) * 100:+.1f} % |"
        )
    (ROOT / "bench/RATELIMIT.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
