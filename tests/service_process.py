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
from collections.abc import Iterator
from pathlib import Path

import httpx

from scripts.localdb import free_port

REPO_ROOT = Path(__file__).resolve().parent.parent
SERVICE_PROCESS_JWT_SECRET = "service-process-test-secret-" + "y" * 32


@contextlib.contextmanager
def running_service(
    mongodb_url: str,
    database: str,
    log_path: Path,
    *,
    workers: int = 1,
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Start `python -m service serve` against `mongodb_url`; yield its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "MONGODB_URL": mongodb_url,
        "MONGODB_DB": database,
        # One database deadline per request: short, so outages answer quickly, with room
        # for a login (several round trips and a hash) on a loaded test machine.
        "MONGODB_TIMEOUT_MS": "1000",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST_KIB": "8192",
        "ARGON2_PARALLELISM": "1",
        "LOG_LEVEL": "WARNING",
        "ENVIRONMENT": "test",
        "JWT_SECRET": SERVICE_PROCESS_JWT_SECRET,
        "RATE_LIMIT_ENABLED": "false",
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
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base_url}/health/live", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"service did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
