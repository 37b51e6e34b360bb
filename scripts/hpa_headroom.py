"""Check the chart's CPU request and HPA target against the measured cost of a request.

Usage: python scripts/hpa_headroom.py RENDERED_CHART.yaml [bench/RESULTS.md]

The HPA scales on CPU usage / CPU request. Reads the CPU per request of `GET /users/{id}`
and `POST /users` (a password hash, like a login) from the benchmark table, the request,
limit, target and replica bounds from the rendered Deployment and HPA, and prints what the
autoscaler will do. Fails when a login burst of BURST_LOGINS_PER_S (with READS_PER_S of
reads alongside) would drive the HPA to maxReplicas, or when one HPA step could multiply
the replicas by more than MAX_STEP_FACTOR.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import yaml

BURST_LOGINS_PER_S = 20.0  # a morning peak: 1,200 logins a minute
READS_PER_S = 1000.0
MAX_STEP_FACTOR = 3.0


def cpu_cores(quantity: str | int | float) -> float:
    """A Kubernetes CPU quantity ("1", "500m", 2) in cores."""
    text = str(quantity)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def bench_cpu_s(results: str, endpoint: str) -> float:
    """Server CPU seconds per request of `endpoint`, variant S (the full service)."""
    for line in results.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and cells[0] == endpoint and cells[1] == "S":
            return float(re.sub(r"[^\d.]", "", cells[5].split("(")[0])) / 1e6
    raise SystemExit(f"{endpoint} (variant S) not found in the benchmark results")


def main(rendered: Path, results_path: Path) -> int:
    """Print the HPA's arithmetic; exit 1 when the burst would pin it at max."""
    docs = [d for d in yaml.safe_load_all(rendered.read_text()) if d]
    hpa = next((d for d in docs if d["kind"] == "HorizontalPodAutoscaler"), None)
    if hpa is None:
        print("autoscaling disabled: nothing to check")
        return 0
    target_name = hpa["spec"]["scaleTargetRef"]["name"]
    deployment = next(
        d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == target_name
    )
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    request = cpu_cores(container["resources"]["requests"]["cpu"])
    limit = cpu_cores(container["resources"]["limits"]["cpu"])
    target = hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] / 100
    max_replicas = hpa["spec"]["maxReplicas"]
    min_replicas = hpa["spec"]["minReplicas"]

    results = results_path.read_text()
    login_s = bench_cpu_s(results, "POST /users")  # one Argon2id hash, as a login
    read_s = bench_cpu_s(results, "GET /users/{id}")

    per_pod_at_target = request * target
    demand = BURST_LOGINS_PER_S * login_s + READS_PER_S * read_s
    wanted = max(min_replicas, math.ceil(demand / per_pod_at_target))
    pin_cores = (max_replicas - 1) * per_pod_at_target
    pin_logins = (pin_cores - READS_PER_S * read_s) / login_s
    step = limit / per_pod_at_target
    print(
        f"bench: login {login_s * 1000:.0f} ms CPU, read {read_s * 1e6:.0f} us CPU\n"
        f"pod: request {request:g} CPU, limit {limit:g} CPU; HPA target {target:.0%}, "
        f"{min_replicas}-{max_replicas} replicas\n"
        f"a pod at target: {per_pod_at_target:.2f} cores = {per_pod_at_target / read_s:,.0f} "
        f"reads/s or {per_pod_at_target / login_s:.1f} logins/s\n"
        f"burst {BURST_LOGINS_PER_S:g} logins/s + {READS_PER_S:,.0f} reads/s = {demand:.2f} "
        f"cores -> HPA wants {wanted} of {max_replicas} replicas\n"
        f"max replicas only past {pin_cores:.1f} cores (~{pin_logins:.0f} logins/s with "
        f"the reads); one HPA step multiplies replicas by at most {step:.1f}"
    )
    failures = []
    if wanted >= max_replicas:
        failures.append(f"a {BURST_LOGINS_PER_S:g} logins/s burst pins the HPA at max")
    if step > MAX_STEP_FACTOR:
        failures.append(f"limit / (request x target) = {step:.1f} > {MAX_STEP_FACTOR:g}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if not 1 <= len(args) <= 2:
        raise SystemExit(__doc__)
    root = Path(__file__).resolve().parent.parent
    sys.exit(main(Path(args[0]), Path(args[1]) if len(args) > 1 else root / "bench/RESULTS.md"))
