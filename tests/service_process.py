"""Run the service as a real uvicorn process, for tests that need it separate from pytest.

Used where the database behind the app must be missing or stopped: Beanie binds models
process-wide, so those scenarios get a process of their own.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx

from scripts.localdb import free_port
from service.auth.keys import generate_pem

REPO_ROOT = Path(__file__).resolve().parent.parent
# How long a command of the project (seed, train, create-admin, ...) may run in a test: a
# guard against a hang, not an expectation. They take seconds when idle, and a minute
# when the machine runs ten other jobs; the answer, not the time, is what tests assert.
SUBPROCESS_CAP_S = 600
SERVICE_PROCESS_JWT_SECRET = "service-process-test-secret-" + "y" * 32
# The processes' signing key, passed as a variable (tests/test_health.py mints with it).
SERVICE_PROCESS_SIGNING_KEY = generate_pem("ES256").decode()
_TEST_DEFAULTS = {
    # One database deadline per request, with room for a login (several round trips and a
    # hash) on a loaded test machine. Tests of outages set a short one of their own.
    "MONGODB_TIMEOUT_MS": "10000",
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_COST_KIB": "8192",
    "ARGON2_PARALLELISM": "1",
    "LOG_LEVEL": "WARNING",
    "ENVIRONMENT": "test",
    "JWT_SECRET": SERVICE_PROCESS_JWT_SECRET,
    "JWT_SIGNING_KEY": SERVICE_PROCESS_SIGNING_KEY,
    "RATE_LIMIT_ENABLED": "false",
    # No test reaches the Internet: tests/passwords/ serve the range API on loopback.
    "HIBP_ENABLED": "false",
}


@contextlib.contextmanager
def running_service(
    mongodb_url: str,
    database: str,
    log_path: Path,
    *,
    workers: int = 1,
    extra_env: dict[str, str] | None = None,
    test_defaults: bool = True,
    ready_path: str = "/health/live",
    start_timeout_s: float = 300,
    environ: Mapping[str, str] | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """Start `python -m service serve` against `mongodb_url`; yield its base URL once
    `ready_path` answers 200. `test_defaults=False` leaves out `_TEST_DEFAULTS`
    (cheap hashing, no rate limits, ENVIRONMENT=test): only `extra_env` is added to
    `environ` (default: this process's environment). `port` (default: a free one) lets a
    restarted service keep its address."""
    port = port or free_port()
    env = {
        **(os.environ if environ is None else environ),
        "MONGODB_URL": mongodb_url,
        "MONGODB_DB": database,
        **(_TEST_DEFAULTS if test_defaults else {}),
        **(extra_env or {}),
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "service",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        # A cap, not an expectation: starting takes a second or two when idle and far longer
        # on a loaded machine, so only a hung start waits it out; a process that died
        # fails at once, with its log.
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                if httpx.get(f"{base_url}{ready_path}", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                state = "exited" if process.poll() is not None else "not ready"
                raise RuntimeError(f"service {state}: {log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        yield base_url
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Stop a child process: politely first (so it writes its coverage data, which takes
    a while on a loaded machine), then for certain after 60 s."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
