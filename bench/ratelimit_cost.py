"""`python -m bench.ratelimit_cost`: the CPU the rate limiter adds to `GET /users/{id}`.

Three servers, one uvicorn worker each pinned to core 0, identical but for the limiter:
off, on with Redis (the production store) and on with memory. wrk, MongoDB (or FerretDB)
and Redis run on core 1. Variants are interleaved over several rounds and the figure is
the server's CPU time per request (see bench/harness.py). The read limit is set far above
what the run sends, so every request is counted and none is refused. Results go to
bench/RATELIMIT.md.

Environment: BENCH_ROUNDS (5), BENCH_SECONDS (4), BENCH_CONNECTIONS (16), and
BENCH_BASELINE_TREE: another checkout (e.g. `git worktree add /tmp/base <rev>`) whose
service runs as one more variant, "redis (baseline)", interleaved with the others, to
compare two versions of the limiter on the same machine at the same time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.harness import JWT_SECRET
from bench.production_env import PRODUCTION_ENV
from bench.ratelimit_inprocess import limiter_cpu_us
from bench.runs import measure
from bench.servers import LOAD_CORE, ROOT, SERVER_CORE, ensure_wrk, pin, seed_users, start
from bench.token_keys import bench_codec
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
                **PRODUCTION_ENV,
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
            baseline = os.environ.get("BENCH_BASELINE_TREE")
            if baseline:
                extra = {**env, **variants["redis"]}
                servers.append(
                    start("redis (baseline)", serve, extra, "/health/ready", Path(baseline))
                )
            codec = bench_codec()
            token = codec.encode(user_id, 0, "bench")
            auth = {"Authorization": f"Bearer {token}"}
            path = f"/users/{user_id}"
            for server in servers:
                probe = httpx.get(server.url + path, headers=auth)
                assert probe.status_code == 200, (server.name, probe.status_code)
                assert ("ratelimit" in probe.headers) == (server.name != "off"), server.name
                measure(server, path, 1, connections, auth, None)  # warm up
            runs: dict[str, list[dict[str, float]]] = {s.name: [] for s in servers}
            for round_no in range(rounds):
                shift = round_no % len(servers)
                order = servers[shift:] + servers[:shift]
                for server in order:
                    run = measure(server, path, seconds, connections, auth, None)
                    assert run["errors"] == 0, (server.name, run)
                    runs[server.name].append(run)
                print(f"round {round_no + 1}/{rounds} done", file=sys.stderr)
            for server in servers:  # the in-process figure has the core to itself
                server.process.terminate()
                server.process.wait(timeout=10)
            servers = []
            pin(os.getpid(), SERVER_CORE)
            own = limiter_cpu_us(redis.url, path, auth, codec, connections, rounds=3)
        finally:
            for server in servers:
                server.process.terminate()
                server.process.wait(timeout=10)
            redis.stop()
            db.stop()
    _write(runs, own, rounds, seconds, connections)


def _write(
    runs: dict[str, list[dict[str, float]]],
    own: dict[str, float],
    rounds: int,
    seconds: float,
    connections: int,
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
        "The service with the limiter (S-with-limiter: `redis`, the production store, and "
        "`memory`) against the same service without it (S-without: `off`), side by side.",
        "",
        "Written by `python -m bench.ratelimit_cost`: `GET /users/{id}` with a valid token, "
        f"one uvicorn worker pinned to core 0, wrk with {connections} connections, the "
        f"database and Redis on core 1; medians of {rounds} interleaved rounds of "
        f"{seconds:g} s. Every request was counted (read limit far above the load).",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M UTC}",
        "",
        "`vs off` compares the medians; `paired` is the median over rounds of each round's "
        "ratio to `off` in that same round, which cancels the machine's drift between rounds.",
        "",
        "| limiter | req/s | p50 ms | p99 ms | server CPU µs/req (spread) | vs off | paired |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in runs:
        cpu = median(name, "cpu_us")
        paired = statistics.median(
            run["cpu_us"] / base["cpu_us"] - 1
            for run, base in zip(runs[name], runs["off"], strict=True)
        )
        lines.append(
            f"| {name} | {median(name, 'rps'):,.0f} | {median(name, 'p50_ms'):.2f} | "
            f"{median(name, 'p99_ms'):.2f} | {cpu:,.0f} ({spread(name)}) | "
            f"{(cpu / off - 1) * 100:+.1f} % | {paired * 100:+.1f} % |"
        )
    baseline = os.environ.get("BENCH_BASELINE_TREE")
    if baseline:
        rev = subprocess.run(
            ["git", "-C", baseline, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        lines += ["", f"`redis (baseline)`: the same, run from {baseline} (commit {rev})."]
    lines += [
        "",
        "The limiter's own CPU, in-process (`bench/ratelimit_inprocess.py`: its middleware "
        "around an empty ASGI app, minus the app alone, median of 3), against the "
        f"{off:,.0f} µs a request costs without it:",
        "",
        "| store | µs/req added | share of a request |",
        "|---|---|---|",
    ]
    for name, label in (
        ("redis 1", "redis, one request at a time"),
        ("redis", f"redis, {connections} concurrent"),
        ("memory", f"memory, {connections} concurrent"),
    ):
        lines.append(f"| {label} | {own[name]:.1f} | {own[name] / off * 100:.1f} % |")
    lines += [
        "",
        "The whole-server rows are within the noise of a shared machine when they differ "
        "by less than their spread; the in-process rows are what the limiter itself costs.",
    ]
    (ROOT / "bench/RATELIMIT.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
