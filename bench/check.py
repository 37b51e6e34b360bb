"""`make bench-check`: a short harness run that fails when the service's overhead regresses.

Runs only `GET /users/{id}` on S (every production feature on) and B, interleaved, and
compares S/B CPU per request with the committed full run (`bench/results.json`): more
than 15 % above it fails. A ratio measured side by side holds on a busy machine where
absolute figures do not; it is still a measurement, so it runs apart from `make test`
(a job of its own in CI), never inside the deterministic suite.

Environment: BENCH_ROUNDS (5), BENCH_SECONDS (2), BENCH_CHECK_TOLERANCE (0.15).
"""

from __future__ import annotations

import json
import os

from bench.harness import run
from bench.results import median
from bench.runs import Plan
from bench.servers import ROOT

ENDPOINT = "GET /users/{id}"


def ratio(runs: dict[str, list[dict[str, float]]]) -> float:
    """S/B: the medians of the server CPU per request."""
    return median(runs["S"], "cpu_us") / median(runs["B"], "cpu_us")


def main() -> None:
    """Measure S/B now and exit 1 when it is more than the tolerance above the committed one."""
    committed = ratio(json.loads((ROOT / "bench/results.json").read_text())["runs"][ENDPOINT])
    tolerance = float(os.environ.get("BENCH_CHECK_TOLERANCE", "0.15"))
    plan = Plan(
        kinds=("get",),
        variants=("S", "B"),
        rounds=int(os.environ.get("BENCH_ROUNDS", "5")),
        seconds=float(os.environ.get("BENCH_SECONDS", "2")),
        driver=False,
        extras=False,
    )
    results, facts = run(plan)
    now = ratio(results[ENDPOINT])
    limit = committed * (1 + tolerance)
    print(
        f"{ENDPOINT}: S/B {now:.2f} now, {committed:.2f} committed, limit {limit:.2f} "
        f"(+{tolerance:.0%}); load {facts['load']['before'][0]:.2f}"
    )
    if now > limit:
        raise SystemExit(f"S/B regressed by {now / committed - 1:.0%}: above {limit:.2f}")


if __name__ == "__main__":
    main()
