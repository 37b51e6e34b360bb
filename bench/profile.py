"""Where a request's CPU goes: py-spy profiles of servers under the harness's load.

Each server is sampled by `py-spy record` (400 Hz, raw stacks) while wrk loads one path;
the share of samples per package (`bench/spy_summary.py`), times the server's median CPU
per request from the same run, gives microseconds per request per package, S next to B.
py-spy comes with the dev extra; without it (or without the right to trace another
process) the step is skipped and the report says so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from bench import wrk
from bench.servers import LOAD_CORE, Server
from bench.spy_summary import shares

RATE_HZ = 400
# Installed with the dev extra next to the interpreter, whether or not the venv is on PATH.
PY_SPY = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")


def _record(pid: int, seconds: float, output: Path) -> subprocess.Popen[bytes]:
    command = [str(PY_SPY), "record", "-p", str(pid), "-d", f"{seconds:g}", "-r", str(RATE_HZ)]
    command += ["-f", "raw", "-o", str(output), "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def profile(
    servers: list[Server], path: str, headers: dict[str, str], seconds: float, connections: int
) -> dict[str, dict[str, float]] | None:
    """Each server's share of samples by package while wrk loads `path` (None: no py-spy)."""
    if PY_SPY is None:
        return None
    found: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="users-bench-spy-") as scratch:
        for server in servers:
            output = Path(scratch) / f"{server.name}.txt"
            load = threading.Thread(
                target=wrk.run,
                args=(server.url + path,),
                kwargs={
                    "seconds": seconds + 1,
                    "connections": connections,
                    "core": LOAD_CORE,
                    "headers": headers,
                },
            )
            load.start()
            spy = _record(server.process.pid, seconds, output)
            spy.wait(timeout=seconds + 60)
            load.join()
            if spy.returncode != 0 or not output.exists():
                return None
            found[server.name] = shares(output)
    return found


def table(found: dict[str, dict[str, float]], cpu_us: dict[str, float]) -> list[str]:
    """Markdown rows: each package's share and µs per request in S and B, and S - B."""
    s, b = found["S"], found["B"]
    names = sorted(set(s) | set(b), key=lambda n: -(s.get(n, 0) * cpu_us["S"]))
    rows = [
        "| package | S share | S µs/req | B share | B µs/req | S - B µs |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        s_us, b_us = s.get(name, 0) * cpu_us["S"], b.get(name, 0) * cpu_us["B"]
        if max(s_us, b_us) < 2:
            continue
        rows.append(
            f"| {name} | {s.get(name, 0) * 100:.1f} % | {s_us:,.0f} | {b.get(name, 0) * 100:.1f} % "
            f"| {b_us:,.0f} | {s_us - b_us:+,.0f} |"
        )
    rows.append(
        f"| total | | {cpu_us['S']:,.0f} | | {cpu_us['B']:,.0f} | "
        f"{cpu_us['S'] - cpu_us['B']:+,.0f} |"
    )
    return rows


def as_facts(found: dict[str, dict[str, float]] | None) -> dict[str, Any]:
    """The profile as it is stored in results.json (rounded shares)."""
    if found is None:
        return {}
    return {name: {k: round(v, 4) for k, v in pkgs.items()} for name, pkgs in found.items()}
