"""The servers under test: their processes, CPU and memory readings, seeding and start-up.

The server runs pinned to core 0 (`SERVER_CORE`); load and the database use core 1.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from bson import ObjectId
from pymongo import MongoClient

from bench import wrk
from scripts.localdb import free_port

ROOT = Path(__file__).resolve().parent.parent
SERVER_CORE, LOAD_CORE = 0, 1
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# A loaded shared machine can take long to import the service: start-up is measured, not capped.
START_CAP_S = 180


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


def ensure_wrk() -> None:
    """Install wrk from Debian when it is missing."""
    if shutil.which("wrk"):
        return
    print("installing wrk (Debian package)", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)


def pin(pid: int, core: int) -> None:
    """Pin every thread of `pid` to one core."""
    subprocess.run(
        ["taskset", "-a", "-p", "-c", str(core), str(pid)], check=True, capture_output=True
    )


def seed_users(url: str, database: str, count: int) -> tuple[str, str]:
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


def start(
    name: str, command: list[str], env: dict[str, str], ready_path: str, cwd: Path = ROOT
) -> Server:
    """Start a server under test on core 0 and wait until `ready_path` answers 200.

    `cwd` is the source tree it runs from (another checkout, to compare two versions).
    """
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        ["taskset", "-c", str(SERVER_CORE), *command, "--port", str(port)],
        cwd=cwd,
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
        if process.poll() is not None or time.monotonic() - started > START_CAP_S:
            stop(process)
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.01)
    return Server(name=name, url=url, process=process, ready_s=time.monotonic() - started)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server: SIGTERM, and SIGKILL if it has not exited within a minute (a loaded
    machine can take that long to shut two workers down)."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def worker_split(
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
    metrics_dir.mkdir(parents=True)
    server = start(
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
        stop(server.process)
    return {
        "connections": connections,
        "wrk_requests": result.requests,
        "per_worker": per_worker,
        "metrics_total": total,
    }


def hash_cost_ms() -> float:
    """Median time of one Argon2id hash at the service's cost, measured alone."""
    from service.auth.security import PasswordHasher

    hasher = PasswordHasher(time_cost=3, memory_cost_kib=65536, parallelism=4)._hash
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        hasher.hash("bench-password-1")
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
