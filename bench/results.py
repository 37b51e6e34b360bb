"""Turning benchmark runs into bench/RESULTS.md: medians, spread and the ratios that matter."""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

Runs = dict[str, dict[str, list[dict[str, float]]]]
TARGETS = {"GET /users/{id}": 1.20, "GET /users?limit=50": 1.35}


def _median(runs: list[dict[str, float]], key: str) -> float:
    values = [run[key] for run in runs if not math.isnan(run[key])]
    return statistics.median(values) if values else math.nan


def _spread(runs: list[dict[str, float]], key: str) -> str:
    values = [run[key] for run in runs if not math.isnan(run[key])]
    if not values:
        return "-"
    return f"{min(values):,.0f}-{max(values):,.0f}"


def _fmt(value: float, digits: int = 0) -> str:
    return "-" if math.isnan(value) else f"{value:,.{digits}f}"


def write_results(path: Path, results: Runs, facts: dict[str, Any]) -> None:
    """Write the Markdown report."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`bench/harness.py`); numbers are medians over "
        f"{facts['rounds']} interleaved rounds of {facts['seconds']:g} s with "
        f"{facts['connections']} connections, spread is min-max.",
        "",
        f"- date: {facts['date']}",
        f"- machine: {facts['cores']} cores ({facts['cpu']}); server pinned to core 0, wrk and "
        "the database on core 1",
        f"- database: {facts['database']}, {facts['users']:,} seeded users",
        "- S: the service (all middleware, auth, Beanie, response models), one uvicorn worker "
        "(uvloop, httptools); S-quiet: the same without access log and metrics; B: bare FastAPI "
        "+ PyMongo doing the same queries and returning the same JSON (`bench/bare_app.py`); "
        "D: the raw driver in-process at the same concurrency (`bench/driver.py`).",
        "",
        "| endpoint | variant | req/s (spread) | p50 ms | p99 ms "
        "| server CPU µs/req (spread) | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for endpoint, variants in results.items():
        for name in ("S", "S-quiet", "B", "D"):
            runs = variants.get(name, [])
            if not runs:
                continue
            lines.append(
                f"| {endpoint} | {name} | {_fmt(_median(runs, 'rps'))} ({_spread(runs, 'rps')}) "
                f"| {_fmt(_median(runs, 'p50_ms'), 2)} | {_fmt(_median(runs, 'p99_ms'), 2)} "
                f"| {_fmt(_median(runs, 'cpu_us'))} ({_spread(runs, 'cpu_us')}) "
                f"| {int(sum(run['errors'] for run in runs))} |"
            )
    lines += [
        "",
        "## Ratios",
        "",
        "| endpoint | S/B CPU per request | target | S/B throughput "
        "| logging+metrics CPU (S/S-quiet) | B/D CPU per request |",
        "|---|---|---|---|---|---|",
    ]
    for endpoint, variants in results.items():
        cpu = {name: _median(runs, "cpu_us") for name, runs in variants.items()}
        rps = {name: _median(runs, "rps") for name, runs in variants.items()}
        target = TARGETS.get(endpoint)
        verdict = (
            "-"
            if target is None
            else (f"≤ {target:.2f} {'met' if cpu['S'] / cpu['B'] <= target else 'NOT met'}")
        )
        lines.append(
            f"| {endpoint} | {cpu['S'] / cpu['B']:.2f} | {verdict} | {rps['S'] / rps['B']:.2f} "
            f"| {cpu['S'] / cpu['S-quiet']:.3f} | {cpu['B'] / cpu['D']:.2f} |"
        )
    lines += [
        "",
        "## Process facts",
        "",
        "| | S | S-quiet | B |",
        "|---|---|---|---|",
        "| RSS after the run (MiB) | "
        + " | ".join(str(facts["rss_mib"][n]) for n in ("S", "S-quiet", "B"))
        + " |",
        "| start to first ready response (s) | "
        + " | ".join(str(facts["ready_s"][n]) for n in ("S", "S-quiet", "B"))
        + " |",
        "",
        "## Two workers",
        "",
        f"`python -m service serve --workers 2` under the same load on `GET /users/{{id}}`: wrk "
        f"completed {facts['two_workers']['wrk_requests']:,} requests; each worker answered "
        + ", ".join(f"{int(n):,}" for n in sorted(facts["two_workers"]["per_worker"].values()))
        + f" (from its own multiprocess metrics file); one scrape of `/metrics` reported "
        f"{int(facts['two_workers']['metrics_total']):,} in `http_requests_total`.",
        "",
        f"Password hashing (Argon2id, t=3, m=64 MiB, p=4), measured alone: {facts['hash_ms']} ms "
        "per hash; it dominates `POST /users` in both S and B.",
        "",
        f"Whole run: {facts['elapsed_s']} s.",
        "",
    ]
    profile = path.parent / "PROFILE.md"
    if profile.exists():  # the hand-written analysis of the latest profiles
        lines += [profile.read_text().rstrip(), ""]
    path.write_text("\n".join(lines))
