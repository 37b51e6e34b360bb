"""`make bench`: the service (S) against a bare FastAPI + PyMongo app (B) and the raw driver (D).

The server under test runs one worker pinned to core 0; wrk, the database and Redis run
on core 1. Variants are interleaved over several rounds so machine drift hits them alike,
and the figure that matters is the CPU time of the server process per request, read from
/proc/<pid> before and after each run. Results go to bench/RESULTS.md.

S runs with every production feature on: the Redis rate limiter (a read limit no run
reaches, so every request is counted and none refused), the access log, metrics, the
host check and the deadlines. S-quiet is S without access log and metrics, S-nolimit S
without the rate limiter: what each costs is a ratio within the same run.

Environment: BENCH_USERS (10000), BENCH_ROUNDS (5), BENCH_SECONDS (4), BENCH_CONNECTIONS (16),
BENCH_ONLY (a subset of get,me,list50,q,post, for a quick look; the report then has only those).
"""

from __future__ import annotations

import compileall
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymongo import MongoClient

from bench.image_env import image_python
from bench.production_env import PRODUCTION_ENV
from bench.profile import as_facts, profile
from bench.results import write_results
from bench.runs import KINDS, Plan, Runs, connections_for, path_of, rounds
from bench.servers import (
    LOAD_CORE,
    ROOT,
    Server,
    ensure_wrk,
    hash_cost_ms,
    pin,
    seed_users,
    start,
    stop,
    worker_split,
)
from bench.token_keys import SIGNING_KEY, bench_token
from scripts.localdb import start_server
from scripts.localredis import start_redis

JWT_SECRET = "bench-only-signing-secret-" + "b" * 40
DEFAULT_USERS = 10_000
FERRETDB_USERS = 1_000
PROFILED = ("get", "me", "list50")


def splits(connections: int) -> list[tuple[int, dict[str, str]]]:
    """The two-worker runs: wrk's connections, 4 times as many, and libuv accepting one
    connection per wake-up (`UV_TCP_SINGLE_ACCEPT`, so the other worker gets a turn)."""
    return [
        (connections, {}),
        (connections * 4, {}),
        (connections, {"UV_TCP_SINGLE_ACCEPT": "1"}),
    ]


@contextmanager
def _stores(scratch: Path) -> Iterator[tuple[str, str]]:
    """A database and a Redis pinned to the load core: their URLs."""
    db = start_server(scratch / "db")
    redis = start_redis(scratch / "redis", use_env=False)
    try:
        for pid in (db.pid, redis.pid):
            if pid:
                pin(pid, LOAD_CORE)
        yield db.url, redis.url
    finally:
        redis.stop()
        db.stop()


def _service_env(env: dict[str, str], redis_url: str) -> dict[str, str]:
    return {
        **env,
        "JWT_SECRET": JWT_SECRET,
        **PRODUCTION_ENV,
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",
        "WEB_CONCURRENCY": "1",
        "RATE_LIMIT_ENABLED": "true",
        "RATE_LIMIT_STORAGE_URL": redis_url,
        # Far above what a run sends: every request is counted, none refused.
        "RATE_LIMIT_READ": "1000000000/hour",
        "RATE_LIMIT_WRITE": "1000000000/hour",
        "RATE_LIMIT_AUTH": "1000000000/hour",
    }


def _start_variants(
    names: tuple[str, ...], service_env: dict[str, str], env: dict[str, str]
) -> tuple[list[str], list[Server]]:
    python = image_python()
    serve = [python, "-m", "service", "serve", "--workers", "1"]
    extra = {
        "S": {},
        "S-quiet": {"ACCESS_LOG_ENABLED": "false", "METRICS_ENABLED": "false"},
        "S-nolimit": {"RATE_LIMIT_ENABLED": "false"},
    }
    servers: list[Server] = []
    for name in names:
        if name == "B":
            bare_env = {**env, "JWT_SIGNING_KEY": SIGNING_KEY}
            command = [python, "-m", "bench.bare_app"]
            servers.append(start("B", command, bare_env, "/health/ready"))
        else:
            servers.append(start(name, serve, {**service_env, **extra[name]}, "/health/ready"))
    return serve, servers


def run(plan: Plan) -> tuple[Runs, dict[str, Any]]:
    """Run the benchmark `plan` describes: the runs of every variant and the run's facts."""
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("the benchmark needs two cores: one for the server, one for load")
    ensure_wrk()
    # As the image does at build: no variant's start pays for compiling the service.
    compileall.compile_dir(ROOT / "service", quiet=1, workers=0)
    began, load_before = time.monotonic(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="users-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        with _stores(scratch) as (db_url, redis_url):
            database = f"bench_{int(time.time())}"
            env = {"MONGODB_URL": db_url, "MONGODB_DB": database}
            build = MongoClient(db_url).admin.command("buildInfo")
            ferretdb = "ferretdbVersion" in build
            version = f"FerretDB {build['ferretdbVersion']}" if ferretdb else build["version"]
            # FerretDB scans the collection for every list query: 1 000 users by default.
            requested = os.environ.get("BENCH_USERS")
            users = int(requested) if requested else FERRETDB_USERS if ferretdb else DEFAULT_USERS
            user_id, prefix = seed_users(db_url, database, users)
            print(f"seeded {users} users into {version}", file=sys.stderr)
            service_env = _service_env(env, redis_url)
            serve, servers = _start_variants(plan.variants, service_env, env)
            try:
                auth = {"Authorization": f"Bearer {bench_token(user_id)}"}
                results = rounds(plan, servers, auth, user_id, prefix, env)
                facts: dict[str, Any] = {
                    "rss_mib": {s.name: round(s.rss_mib(), 1) for s in servers},
                    "ready_s": {s.name: round(s.ready_s, 3) for s in servers},
                }
                if plan.extras:
                    named = {s.name: s for s in servers}
                    _extras(facts, plan, named, serve, service_env, auth, user_id, prefix, scratch)
            finally:
                for server in servers:
                    stop(server.process)
    facts |= {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": {"before": load_before, "after": os.getloadavg()},
        "cores": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "database": version,
        "users": users,
        "rounds": plan.rounds,
        "seconds": plan.seconds,
        "connections": plan.connections,
        "elapsed_s": round(time.monotonic() - began, 1),
    }
    return results, facts


def _extras(
    facts: dict[str, Any],
    plan: Plan,
    named: dict[str, Server],
    serve: list[str],
    service_env: dict[str, str],
    auth: dict[str, str],
    user_id: str,
    prefix: str,
    scratch: Path,
) -> None:
    """Profiles, the two-worker split and the hash cost; each one that fails says why
    in the facts instead of losing the run's measurements."""
    steps = {
        "profiles": lambda: {
            kind: as_facts(
                profile(
                    [named["S"], named["B"]], path_of(kind, user_id, prefix), auth, 7,
                    connections_for(kind, plan),
                )
            )
            for kind in PROFILED
            if kind in plan.kinds
        },
        "two_workers": lambda: [
            worker_split(
                serve, {**service_env, **extra}, f"/users/{user_id}", auth, plan.seconds, conns,
                scratch / f"multiproc-{number}",
            ) | {"setting": " ".join(f"{k}={v}" for k, v in extra.items())}
            for number, (conns, extra) in enumerate(splits(plan.connections))
        ],
        "hash_ms": lambda: round(hash_cost_ms(), 1),
    }  # fmt: skip
    for name, step in steps.items():
        try:
            facts[name] = step()
        except Exception as exc:
            print(f"{name} failed: {exc!r}", file=sys.stderr)
            facts.setdefault("failed", {})[name] = repr(exc)


def main() -> None:
    """Run the whole benchmark and write bench/RESULTS.md (raw data in results.json)."""
    only = os.environ.get("BENCH_ONLY")  # e.g. "get,list50" for a quick look
    plan = Plan(
        kinds=tuple(k for k in KINDS if not only or k in only.split(",")),
        rounds=int(os.environ.get("BENCH_ROUNDS", "5")),
        seconds=float(os.environ.get("BENCH_SECONDS", "4")),
        connections=int(os.environ.get("BENCH_CONNECTIONS", "16")),
    )
    results, facts = run(plan)
    (ROOT / "bench/results.json").write_text(
        json.dumps({"facts": facts, "runs": results}, indent=1)
    )
    write_results(ROOT / "bench/RESULTS.md", results, facts)
    print((ROOT / "bench/RESULTS.md").read_text())


if __name__ == "__main__":
    main()
