"""How long the slow setup steps took last time on this machine, kept in the cache dir.

The first `make run` builds FerretDB, seeds and trains; its progress lines say how long
each step took here before (or a typical range the first time), so a wait is never blind.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

CACHE_DIR = Path(os.environ.get("USERS_SERVICE_CACHE", Path.home() / ".cache" / "users-service"))
TIMINGS_FILE = CACHE_DIR / "step-timings.json"


def _read() -> dict[str, float]:
    try:
        data = json.loads(TIMINGS_FILE.read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}


def last_duration(step: str) -> float | None:
    """Seconds `step` took the last time it finished here, if it ever did."""
    return _read().get(step)


def record_duration(step: str, seconds: float) -> None:
    """Remember how long `step` took (best effort: an unwritable cache only loses the hint)."""
    with contextlib.suppress(OSError):
        TIMINGS_FILE.parent.mkdir(parents=True, exist_ok=True)
        TIMINGS_FILE.write_text(json.dumps({**_read(), step: round(seconds, 1)}))


def expectation(step: str, first_time: str) -> str:
    """'took 41 s last time on this machine', or the typical range for a first run."""
    seconds = last_duration(step)
    if seconds is None:
        return f"first time here: {first_time}"
    return f"took {seconds:.0f} s last time on this machine"


@contextlib.contextmanager
def timed_step(step: str, doing: str, first_time: str, prefix: str) -> Iterator[None]:
    """Say what is being done and how long it took before; then how long it took now."""
    print(f"{prefix}: {doing} ({expectation(step, first_time)})...", file=sys.stderr, flush=True)
    started = time.monotonic()
    yield
    seconds = time.monotonic() - started
    record_duration(step, seconds)
    print(f"{prefix}: {doing}: done in {seconds:.0f} s", file=sys.stderr, flush=True)
