"""Turning benchmark runs into bench/RESULTS.md: medians, spread and the ratios that matter."""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

from bench.profile import table
from bench.runs import ENDPOINTS, SATURATED_CONNECTIONS

Runs = dict[str, dict[str, list[dict[str, float]]]]
# S/B CPU per request that each endpoint must stay within, every production feature on.
TARGETS = {"GET /users/{id}": 1.50, "GET /users/me": 1.40, "GET /users?limit=50": 1.35}
LIMITER_TARGET = 0.05  # the rate limiter's share of S's CPU
PROFILE_ENDPOINTS = {
    "get": "GET /users/{id}",
    "me": "GET /users/me",
    "list50": "GET /users?limit=50",
}
VARIANTS = ("S", "S-quiet", "S-nolimit", "B", "D")


def median(runs: list[dict[str, float]], key: str) -> float:
    """The median of `key` over the runs that measured it."""
    values = [run[key] for run in runs if not math.isnan(run[key])]
    return statistics.median(values) if values else math.nan


def _spread(runs: list[dict[str, float]], key: str) -> str:
    values = [run[key] for run in runs if not math.isnan(run[key])]
    if not values:
        return "-"
    return f"{min(values):,.0f}-{max(values):,.0f}"


def _fmt(value: float, digits: int = 0) -> str:
    return "-" if math.isnan(value) else f"{value:,.{digits}f}"


def _ratio(cpu: dict[str, float], a: str, b: str, digits: int = 2) -> str:
    if a not in cpu or b not in cpu or not cpu[b] or math.isnan(cpu[a] / cpu[b]):
        return "-"
    return f"{cpu[a] / cpu[b]:.{digits}f}"


def _measurements(results: Runs) -> list[str]:
    lines = [
        "| endpoint | variant | req/s (spread) | p50 ms | p99 ms "
        "| server CPU µs/req (spread) | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for endpoint, variants in results.items():
        for name in VARIANTS:
            runs = variants.get(name, [])
            if runs:
                lines.append(
                    f"| {endpoint} | {name} | {_fmt(median(runs, 'rps'))} "
                    f"({_spread(runs, 'rps')}) | {_fmt(median(runs, 'p50_ms'), 2)} "
                    f"| {_fmt(median(runs, 'p99_ms'), 2)} "
                    f"| {_fmt(median(runs, 'cpu_us'))} ({_spread(runs, 'cpu_us')}) "
                    f"| {int(sum(run['errors'] for run in runs))} |"
                )
    return lines


def _ratios(results: Runs) -> list[str]:
    lines = [
        "| endpoint | S/B CPU per request | target | S/B throughput "
        "| rate limiter share of S (1 - S-nolimit/S) | logging+metrics (S/S-quiet) | B/D |",
        "|---|---|---|---|---|---|---|",
    ]
    for endpoint, variants in results.items():
        cpu = {name: median(runs, "cpu_us") for name, runs in variants.items()}
        rps = {name: median(runs, "rps") for name, runs in variants.items()}
        target = TARGETS.get(endpoint)
        verdict = "-"
        if target is not None and cpu.get("B"):
            verdict = f"≤ {target:.2f} {'met' if cpu['S'] / cpu['B'] <= target else 'NOT met'}"
        limiter = "-"
        if "S-nolimit" in cpu:
            share = 1 - cpu["S-nolimit"] / cpu["S"]
            limiter = f"{share * 100:.1f} % ({'met' if share <= LIMITER_TARGET else 'NOT met'})"
        lines.append(
            f"| {endpoint} | {_ratio(cpu, 'S', 'B')} | {verdict} | {_ratio(rps, 'S', 'B')} "
            f"| {limiter} | {_ratio(cpu, 'S', 'S-quiet', 3)} | {_ratio(cpu, 'B', 'D')} |"
        )
    return lines


def _facts(facts: dict[str, Any]) -> list[str]:
    names = list(facts["rss_mib"])
    lines = [
        "| | " + " | ".join(names) + " |",
        "|---" * (len(names) + 1) + "|",
        "| RSS after the run (MiB) | " + " | ".join(str(facts["rss_mib"][n]) for n in names) + " |",
        "| start to first ready response (s) | "
        + " | ".join(str(facts["ready_s"][n]) for n in names)
        + " |",
    ]
    if "B" in facts["ready_s"]:
        ratio = facts["ready_s"]["S"] / facts["ready_s"]["B"]
        lines += ["", f"Start to ready, S/B: {ratio:.2f} (target ≤ 1.5)."]
    return lines


def _two_workers(facts: dict[str, Any]) -> list[str]:
    lines = [
        "| connections | setting | wrk requests | per worker | metrics total |",
        "|---|---|---|---|---|",
    ]
    for split in facts.get("two_workers", []):
        shares = ", ".join(f"{int(n):,}" for n in sorted(split["per_worker"].values()))
        lines.append(
            f"| {split['connections']} | {split.get('setting') or '-'} "
            f"| {split['wrk_requests']:,} | {shares} "
            f"| {int(split['metrics_total']):,} |"
        )
    return lines


def _profiles(results: Runs, facts: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for kind, found in facts.get("profiles", {}).items():
        endpoint = PROFILE_ENDPOINTS[kind]
        if not found or endpoint not in results:
            continue
        cpu = {name: median(results[endpoint][name], "cpu_us") for name in ("S", "B")}
        lines += [f"### {endpoint}", "", *table(found, cpu), ""]
    return lines or ["No profile in this run (py-spy missing or not allowed to trace)."]


def write_results(path: Path, results: Runs, facts: dict[str, Any]) -> None:
    """Write the Markdown report."""
    before, after = facts["load"]["before"], facts["load"]["after"]
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`bench/harness.py`); numbers are medians over "
        f"{facts['rounds']} interleaved rounds of {facts['seconds']:g} s with "
        f"{facts['connections']} connections ({_saturated()}: a few in flight saturate the "
        "database or the hashing, see `bench/runs.py`), spread is min-max.",
        "",
        f"- date: {facts['date']}",
        f"- machine: {facts['cores']} cores ({facts['cpu']}); server pinned to core 0, wrk, "
        "the database and Redis on core 1",
        f"- machine load (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in before)} at the start, "
        f"{', '.join(f'{x:.2f}' for x in after)} at the end (a shared machine: the ratios, "
        "measured side by side, are what compares)",
        f"- database: {facts['database']}, {facts['users']:,} seeded users",
        "- S: the service with every production feature on (Redis rate limiter, access log, "
        "metrics, host check, deadlines), one uvicorn worker (uvloop, httptools); S-quiet: S "
        "without access log and metrics; S-nolimit: S without the rate limiter; B: bare "
        "FastAPI + PyMongo doing the same queries and returning the same JSON "
        "(`bench/bare_app.py`); D: the raw driver in-process at the same concurrency "
        "(`bench/driver.py`).",
        "",
        *_measurements(results),
        "",
        "## Ratios",
        "",
        *_ratios(results),
        "",
        "## Process facts",
        "",
        *_facts(facts),
        "",
        "## Two workers",
        "",
        "`python -m service serve --workers 2` under the same load on `GET /users/{id}`; "
        "requests each worker answered (from its own multiprocess metrics file). Why the "
        "split is what it is: [README](README.md#two-workers).",
        "",
        *_two_workers(facts),
        "",
    ]
    if "hash_ms" in facts:
        lines += [
            f"Password hashing (Argon2id, t=3, m=64 MiB, p=4), measured alone: "
            f"{facts['hash_ms']} ms per hash; it dominates `POST /users` in both S and B.",
            "",
        ]
    lines += [
        f"Whole run: {facts['elapsed_s']} s.",
        "",
        "## Profile: where the microseconds go",
        "",
        "py-spy (400 Hz, 7 s, self time per package, `bench/profile.py`) on S and B under the "
        "same wrk load, each package's share of samples times the server's median CPU per "
        "request in this run. Native code (uvloop, BSON, pydantic-core) counts in the Python "
        "frame that called it.",
        "",
        *_profiles(results, facts),
    ]
    profile = path.parent / "PROFILE.md"
    if profile.exists():  # the hand-written analysis of the latest profiles
        lines += [profile.read_text().rstrip(), ""]
    path.write_text("\n".join(lines))


def _saturated() -> str:
    return ", ".join(f"`{ENDPOINTS[k]}` {n}" for k, n in SATURATED_CONNECTIONS.items())


def main() -> None:
    """Write the Markdown report again from a `results.json` (argument: its path)."""
    import json
    import sys

    raw = json.loads(Path(sys.argv[1]).read_text())
    write_results(
        Path(sys.argv[2]) if len(sys.argv) > 2 else Path(sys.argv[1]).with_name("RESULTS.md"),
        raw["runs"],
        raw["facts"],
    )


if __name__ == "__main__":
    main()
