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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from bson import ObjectId
from pymongo import MongoClient

from bench import wrk
from bench.results import write_results
from scripts.localdb import free_port, start_server

ROOT = Path(__file__).resolve().parent.parent
SERVER_CORE, LOAD_CORE = 0, 1
JWT_SECRET = "bench-only-signing-secret-" + "b" * 40
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DEFAULT_USERS = 10_000
FERRETDB_USERS = 1_000
# Password hashing saturates the server core with a couple of requests in flight.
POST_CONNECTIONS = 2


@dataclass
class Server:
    """A server process under test."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    ready_s: float
    runs: dict[str, list[dict[str, float]]] = field(default_factory=dict)

    def cpu_seconds(self) -> float:
        """CPU time of the process's live threads so far, in nanosecond resolution.

        /proc/<pid>/task/*/schedstat counts nanoseconds on the CPU; /proc/<pid>/stat
        counts 10 ms ticks, too coarse for the few requests a slow list query allows.
        Threads that exit between two readings are missed here; see `cpu_ticks_seconds`.
        """
        total_ns = 0
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            try:
                total_ns += int((task / "schedstat").read_text().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                continue
        return total_ns / 1e9

    def cpu_ticks_seconds(self) -> float:
        """CPU time in 10 ms ticks, including threads that have exited (Argon2's lanes)."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(stat[11]) + int(stat[12])) / CLOCK_TICKS

    def rss_mib(self) -> float:
        """Resident memory now."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def _ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("installing wrk (Debian package)", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)


def _pin(pid: int, core: int) -> None:
    subprocess.run(
        ["taskset", "-a", "-p", "-c", str(core), str(pid)], check=True, capture_output=True
    )


def _seed(url: str, database: str, count: int) -> tuple[str, str]:
    """Insert `count` users in bulk; return one user's id and a prefix matching ~10 %."""
    from service.auth.security import PasswordHasher

    password_hash = PasswordHasher(time_cost=3, memory_cost_kib=65536, parallelism=4)._hash.hash(
        "bench-password-1"
    )
    client: MongoClient[dict[str, Any]] = MongoClient(url)
    users = client[database]["users"]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    batch = []
    for i in range(count):
        name = f"Bench User {i:06d}"
        batch.append(
            {
                "_id": ObjectId(),
                "username": f"bench{i:06d}",
                "email": f"bench{i:06d}@example.com",
                "name": name,
                "name_lower": name.lower(),
                "password_hash": password_hash,
                "role": "user",
                "is_active": True,
                "avatar": None,
                "version": 1,
                "token_version": 0,
                "created_at": start + timedelta(seconds=i),
                "updated_at": start + timedelta(seconds=i),
            }
        )
        if len(batch) == 1000:
            users.insert_many(batch)
            batch = []
    if batch:
        users.insert_many(batch)
    first = users.find_one({"username": "bench000000"})
    client.close()
    assert first is not None
    return str(first["_id"]), "bench00"


def _start(name: str, command: list[str], env: dict[str, str], ready_path: str) -> Server:
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        ["taskset", "-c", str(SERVER_CORE), *command, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            if httpx.get(url + ready_path, timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() - started > 30:
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.01)
    return Server(name=name, url=url, process=process, ready_s=time.monotonic() - started)


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


def _measure(
    server: Server,
    path: str,
    seconds: float,
    connections: int,
    headers: dict[str, str],
    script: str | None,
) -> dict[str, float]:
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


def _worker_split(
    serve: list[str],
    env: dict[str, str],
    path: str,
    headers: dict[str, str],
    seconds: float,
    connections: int,
    scratch: Path,
) -> dict[str, Any]:
    """Run the service with two workers and count the requests each one answered."""
    from prometheus_client.mmap_dict import MmapedDict

    metrics_dir = scratch / "multiproc"
    metrics_dir.mkdir()
    server = _start(
        "S x2",
        [*serve[:-2], "--workers", "2"],
        {**env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
        "/health/ready",
    )
    try:
        result = wrk.run(
            server.url + path,
            seconds=seconds,
            connections=connections,
            core=LOAD_CORE,
            headers=headers,
        )
        time.sleep(0.5)  # let requests still in flight when wrk stopped finish
        per_worker: dict[str, float] = {}
        for file in metrics_dir.glob("counter_*.db"):
            pid = file.stem.rsplit("_", 1)[1]
            mmap = MmapedDict(str(file), read_mode=True)
            per_worker[pid] = sum(
                value
                for key, value, _ in mmap.read_all_values()
                if json.loads(key)[0] == "http_requests"
                and json.loads(key)[2].get("handler") == "/users/{user_id}"
            )
            mmap.close()
        scraped = httpx.get(server.url + "/metrics").text
        total = sum(
            float(line.rsplit(" ", 1)[1])
            for line in scraped.splitlines()
            if line.startswith("http_requests_total{") and 'handler="/users/{user_id}"' in line
        )
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)
    return {"wrk_requests": result.requests, "per_worker": per_worker, "metrics_total": total}


def _hash_cost_ms() -> float:
    from service.auth.security import PasswordHasher

    hasher = PasswordHasher(time_cost=3, memory_cost_kib=65536, parallelism=4)._hash
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        hasher.hash("bench-password-1")
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    """Run the whole benchmark and write bench/RESULTS.md."""
    requested_users = os.environ.get("BENCH_USERS")
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    seconds = float(os.environ.get("BENCH_SECONDS", "4"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("the benchmark needs two cores: one for the server, one for load")
    _ensure_wrk()
    began = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="users-bench-") as scratch:
        db = start_server(Path(scratch) / "db")
        if db.pid:
            _pin(db.pid, LOAD_CORE)
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
            user_id, prefix = _seed(db.url, database, users)
            print(f"seeded {users} users into {server_version}", file=sys.stderr)
            service_env = {
                **env,
                "JWT_SECRET": JWT_SECRET,
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
                _start("S", serve, service_env, "/health/ready"),
                _start(
                    "S-quiet",
                    serve,
                    {**service_env, "ACCESS_LOG_ENABLED": "false", "METRICS_ENABLED": "false"},
                    "/health/ready",
                ),
                _start("B", [sys.executable, "-m", "bench.bare_app"], env, "/health/ready"),
            ]
            from service.auth.security import TokenCodec

            token = TokenCodec(
                JWT_SECRET, "HS256", "users-service", "users-service", timedelta(hours=1)
            ).encode(user_id, 0, "bench")
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
                    _measure(server, path, 1, 2 if kind == "post" else connections, auth, script)
            for round_no in range(rounds):
                for endpoint, (path, script, kind) in endpoints.items():
                    order = servers[round_no % 3 :] + servers[: round_no % 3]
                    for server in order:
                        conns = POST_CONNECTIONS if kind == "post" else connections
                        phase = time.monotonic()
                        run = _measure(server, path, seconds, conns, auth, script)
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
            split = _worker_split(
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
                "hash_ms": round(_hash_cost_ms(), 1),
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
