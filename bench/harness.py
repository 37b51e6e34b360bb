"""`make bench`: the service (S) against a bare FastAPI + PyMongo app (B) and the raw driver (D).

The server under test runs one worker pinned to core 0; wrk and the database run on core
1. Variants are interleaved over several rounds so machine drift hits them alike, and the
figure that matters is the CPU time of the server process per request, read from
/proc/<pid>/stat before and after each run. Results go to bench/RESULTS.md.

Environment: BENCH_USERS (10000), BENCH_ROUNDS (5), BENCH_SECONDS (4), BENCH_CONNECTIONS (16),
BENCH_ONLY (a subset of get,list50,q,post, for a quick look; the report then has only those).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from pymongo import MongoClient

from bench import wrk
from bench.results import write_results
from bench.servers import (
    LOAD_CORE,
    ROOT,
    SERVER_CORE,
    Server,
    ensure_wrk,
    hash_cost_ms,
    pin,
    seed_users,
    start,
    worker_split,
)
from bench.token_keys import SIGNING_KEY, bench_token
from scripts.localdb import start_server

JWT_SECRET = "bench-only-signing-secret-" + "b" * 40
DEFAULT_USERS = 10_000
FERRETDB_USERS = 1_000
# Password hashing saturates the server core with a couple of requests in flight.
POST_CONNECTIONS = 2


def _driver(
    kind: str, seconds: float, connections: int, user_id: str, prefix: str, env: dict[str, str]
) -> dict[str, float]:
    completed = subprocess.run(
        [
            "taskset",
            "-c",
            str(SERVER_CORE),
            sys.executable,
            "-m",
            "bench.driver",
            kind,
            "--seconds",
            str(seconds),
            "--concurrency",
            str(connections),
            "--user-id",
            user_id,
            "--prefix",
            prefix,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(completed.stdout)
    ops = max(data["operations"], 1)
    return {
        "rps": ops / data["seconds"],
        "cpu_us": data["cpu_seconds"] / ops * 1e6,
        "p50_ms": float("nan"),
        "p99_ms": float("nan"),
        "errors": 0,
    }


def measure(
    server: Server,
    path: str,
    seconds: float,
    connections: int,
    headers: dict[str, str],
    script: str | None,
) -> dict[str, float]:
    """Load `path` with wrk; the server's CPU per request, throughput and latency."""
    before, before_ticks = server.cpu_seconds(), server.cpu_ticks_seconds()
    result = wrk.run(
        server.url + path,
        seconds=seconds,
        connections=connections,
        core=LOAD_CORE,
        headers=headers,
        script=script,
    )
    # Precise for live threads, complete for short-lived ones: the larger delta is right.
    cpu = max(server.cpu_seconds() - before, server.cpu_ticks_seconds() - before_ticks)
    return {
        "rps": result.requests_per_s,
        "cpu_us": cpu / max(result.requests, 1) * 1e6,
        "p50_ms": result.p50_ms,
        "p99_ms": result.p99_ms,
        "errors": result.errors,
    }


def main() -> None:
    """Run the whole benchmark and write bench/RESULTS.md."""
    requested_users = os.environ.get("BENCH_USERS")
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    seconds = float(os.environ.get("BENCH_SECONDS", "4"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("the benchmark needs two cores: one for the server, one for load")
    ensure_wrk()
    began = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="users-bench-") as scratch:
        db = start_server(Path(scratch) / "db")
        if db.pid:
            pin(db.pid, LOAD_CORE)
        database = f"bench_{int(time.time())}"
        env = {"MONGODB_URL": db.url, "MONGODB_DB": database}
        try:
            build = MongoClient(db.url).admin.command("buildInfo")
            ferretdb = "ferretdbVersion" in build
            server_version = (
                f"FerretDB {build['ferretdbVersion']}"
                if ferretdb
                else f"MongoDB {build['version']}"
            )
            # FerretDB sorts and filters list queries by scanning the collection: over 10 000
            # users a page takes seconds, too few requests to measure the service. There the
            # default is 1 000 users; BENCH_USERS still decides when set.
            default_users = FERRETDB_USERS if ferretdb else DEFAULT_USERS
            users = int(requested_users) if requested_users else default_users
            user_id, prefix = seed_users(db.url, database, users)
            print(f"seeded {users} users into {server_version}", file=sys.stderr)
            service_env = {
                **env,
                "JWT_SECRET": JWT_SECRET,
                "JWT_SIGNING_KEY": SIGNING_KEY,
                "ENVIRONMENT": "production",
                "SMTP_HOST": "127.0.0.1",  # production needs one; benches send no mail
                "LOG_LEVEL": "INFO",
                "LOG_FORMAT": "json",
                "WEB_CONCURRENCY": "1",
                "ALLOWED_HOSTS": "127.0.0.1",
                # The limiter's own cost is measured by bench/ratelimit_cost.py.
                "RATE_LIMIT_ENABLED": "false",
            }
            serve = [sys.executable, "-m", "service", "serve", "--workers", "1"]
            servers = [
                start("S", serve, service_env, "/health/ready"),
                start(
                    "S-quiet",
                    serve,
                    {**service_env, "ACCESS_LOG_ENABLED": "false", "METRICS_ENABLED": "false"},
                    "/health/ready",
                ),
                start("B", [sys.executable, "-m", "bench.bare_app"], env, "/health/ready"),
            ]
            token = bench_token(user_id)
            auth = {"Authorization": f"Bearer {token}"}
            same = [httpx.get(s.url + f"/users/{user_id}", headers=auth).json() for s in servers]
            assert same[0] == same[2], f"S and B answer differently:\n{same[0]}\n{same[2]}"

            endpoints = {
                "GET /users/{id}": (f"/users/{user_id}", None, "get"),
                "GET /users?limit=50": ("/users?limit=50", None, "list50"),
                f"GET /users?q={prefix}&limit=20": (f"/users?q={prefix}&limit=20", None, "q"),
                "POST /users": ("/users", str(ROOT / "bench/post_users.lua"), "post"),
            }
            only = os.environ.get("BENCH_ONLY")  # e.g. "get,list50" for a quick look
            if only:
                kinds = set(only.split(","))
                endpoints = {e: spec for e, spec in endpoints.items() if spec[2] in kinds}
            results: dict[str, dict[str, list[dict[str, float]]]] = {e: {} for e in endpoints}
            for server in servers:  # warm every code path once
                for path, script, kind in endpoints.values():
                    measure(server, path, 1, 2 if kind == "post" else connections, auth, script)
            for round_no in range(rounds):
                for endpoint, (path, script, kind) in endpoints.items():
                    order = servers[round_no % 3 :] + servers[: round_no % 3]
                    for server in order:
                        conns = POST_CONNECTIONS if kind == "post" else connections
                        phase = time.monotonic()
                        run = measure(server, path, seconds, conns, auth, script)
                        print(
                            f"  {endpoint} {server.name}: {time.monotonic() - phase:.1f}s",
                            file=sys.stderr,
                        )
                        results[endpoint].setdefault(server.name, []).append(run)
                    conns = POST_CONNECTIONS if kind == "post" else connections
                    phase = time.monotonic()
                    driver = _driver(kind, seconds, conns, user_id, prefix, env)
                    print(f"  {endpoint} D: {time.monotonic() - phase:.1f}s", file=sys.stderr)
                    results[endpoint].setdefault("D", []).append(driver)
                print(f"round {round_no + 1}/{rounds} done", file=sys.stderr)
            split = worker_split(
                serve, service_env, f"/users/{user_id}", auth, seconds, connections, Path(scratch)
            )
            facts = {
                "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "cores": os.cpu_count(),
                "cpu": platform.processor() or platform.machine(),
                "database": server_version,
                "users": users,
                "rounds": rounds,
                "seconds": seconds,
                "connections": connections,
                "rss_mib": {s.name: round(s.rss_mib(), 1) for s in servers},
                "ready_s": {s.name: round(s.ready_s, 3) for s in servers},
                "hash_ms": round(hash_cost_ms(), 1),
                "two_workers": split,
                "elapsed_s": round(time.monotonic() - began, 1),
            }
            raw = {"facts": facts, "runs": results}
            (ROOT / "bench/results.json").write_text(json.dumps(raw, indent=1))
            write_results(ROOT / "bench/RESULTS.md", results, facts)
            print((ROOT / "bench/RESULTS.md").read_text())
        finally:
            for server in locals().get("servers", []):
                server.process.terminate()
                server.process.wait(timeout=10)
            db.stop()


if __name__ == "__main__":
    main()
