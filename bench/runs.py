"""The measured part of a benchmark run: wrk against each server, the driver alone, rounds.

CPU per request is read from /proc/<pid> before and after each wrk run (see
`bench.servers.Server`); variants are interleaved so machine drift hits them alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

import httpx

from bench import wrk
from bench.servers import LOAD_CORE, ROOT, SERVER_CORE, Server

# Endpoints saturated with a few requests in flight get fewer connections. Password
# hashing fills the server core with two. A list page on FerretDB scans the collection
# (about 0.1 s), so 16 pages in flight queue past the service's 2 s database deadline:
# S would be measured answering 503s that B, which has no deadline, never sends.
SATURATED_CONNECTIONS = {"post": 2, "list50": 4, "q": 4}
KINDS = ("get", "me", "list50", "q", "post")
Runs = dict[str, dict[str, list[dict[str, float]]]]


@dataclass(frozen=True)
class Plan:
    """What one run measures: which endpoints and variants, for how long."""

    kinds: tuple[str, ...] = KINDS
    variants: tuple[str, ...] = ("S", "S-quiet", "S-nolimit", "B")
    rounds: int = 5
    seconds: float = 4
    connections: int = 16
    driver: bool = True  # D, the raw driver
    extras: bool = True  # profiles, two workers, hash cost


def connections_for(kind: str, plan: Plan) -> int:
    """wrk's connections for one endpoint kind in this plan."""
    return SATURATED_CONNECTIONS.get(kind, plan.connections)


def driver_run(
    kind: str, seconds: float, connections: int, user_id: str, prefix: str, env: dict[str, str]
) -> dict[str, float]:
    command = ["taskset", "-c", str(SERVER_CORE), sys.executable, "-m", "bench.driver"]
    command += [kind, "--seconds", str(seconds), "--concurrency", str(connections)]
    command += ["--user-id", user_id, "--prefix", prefix]
    completed = subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:  # a failed driver run costs its figure, not the whole run
        print(f"driver {kind} failed:\n{completed.stderr[-2000:]}", file=sys.stderr)
        nan = float("nan")
        return {"rps": nan, "cpu_us": nan, "p50_ms": nan, "p99_ms": nan, "errors": 1}
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


def path_of(kind: str, user_id: str, prefix: str) -> str:
    return {
        "get": f"/users/{user_id}",
        "me": "/users/me",
        "list50": "/users?limit=50",
        "q": f"/users?q={prefix}&limit=20",
        "post": "/users",
    }[kind]


ENDPOINTS = {
    "get": "GET /users/{id}",
    "me": "GET /users/me",
    "list50": "GET /users?limit=50",
    "q": "GET /users?q={prefix}&limit=20",
    "post": "POST /users",
}


def rounds(
    plan: Plan,
    servers: list[Server],
    auth: dict[str, str],
    user_id: str,
    prefix: str,
    env: dict[str, str],
) -> Runs:
    """Every variant on every endpoint, interleaved: each round starts with another one."""
    same = [httpx.get(s.url + f"/users/{user_id}", headers=auth).json() for s in servers]
    assert all(answer == same[0] for answer in same), f"the variants answer differently: {same}"
    script = str(ROOT / "bench/post_users.lua")
    results: Runs = {ENDPOINTS[kind]: {} for kind in plan.kinds}
    for server in servers:  # warm every code path once
        for kind in plan.kinds:
            conns = connections_for(kind, plan)
            path = path_of(kind, user_id, prefix)
            measure(server, path, 1, conns, auth, script if kind == "post" else None)
    for round_no in range(plan.rounds):
        for kind in plan.kinds:
            endpoint, path = ENDPOINTS[kind], path_of(kind, user_id, prefix)
            conns = connections_for(kind, plan)
            shift = round_no % len(servers)
            for server in servers[shift:] + servers[:shift]:
                run = measure(
                    server, path, plan.seconds, conns, auth, script if kind == "post" else None
                )
                results[endpoint].setdefault(server.name, []).append(run)
            if plan.driver:
                driver_kind = "get" if kind == "me" else kind
                driver = driver_run(driver_kind, plan.seconds, conns, user_id, prefix, env)
                results[endpoint].setdefault("D", []).append(driver)
        print(f"round {round_no + 1}/{plan.rounds} done", file=sys.stderr)
    return results
