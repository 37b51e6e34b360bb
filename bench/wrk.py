"""Running wrk pinned to one core and reading its report."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured."""

    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise ValueError(f"unreadable latency {value!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse(report: str) -> WrkResult:
    """Parse `wrk --latency` output."""
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", report)
    if total is None:
        raise ValueError(f"no request count in wrk output:\n{report}")
    seconds = _ms(total.group(2) + total.group(3)) / 1000
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)\s*$", report, flags=re.MULTILINE))
    if "50" not in percentiles or "99" not in percentiles:
        raise ValueError(f"no latency distribution in wrk output:\n{report}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket:
        errors += sum(int(n) for n in socket.groups())
    requests = int(total.group(1))
    return WrkResult(
        requests=requests,
        seconds=seconds,
        requests_per_s=requests / seconds,
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        errors=errors,
    )


def run(
    url: str,
    *,
    seconds: float,
    connections: int,
    core: int,
    headers: dict[str, str] | None = None,
    script: str | None = None,
) -> WrkResult:
    """Load `url` from one wrk thread pinned to `core`."""
    command = [
        "taskset",
        "-c",
        str(core),
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    command.append(url)
    completed = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return parse(completed.stdout)
