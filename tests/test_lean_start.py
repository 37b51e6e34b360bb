"""A started worker holds only what every request needs: the libraries of features that
only some requests use (password strength, passkeys, second factors, avatars, mail, pages,
the breach check's HTTP client, models) are loaded by the first request that uses them.

What an operator notices is memory per worker and time to ready (docs/operations.md,
"Memory budget"); which modules a started worker holds is the cheap, deterministic
measure of both. Each library named here is exercised by the tests of its feature.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import argon2
import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from scripts.localdb import LocalServer
from service.auth.security import PasswordHasher
from tests.service_process import _TEST_DEFAULTS, REPO_ROOT, SUBPROCESS_CAP_S

# Library (or module) -> what loads it on first use, and roughly what it costs at start.
LOADED_ON_FIRST_USE = {
    "zxcvbn": "the first password checked (~13 MiB of dictionaries)",
    "webauthn": "the first passkey ceremony (~8 MiB with ASN.1 and CBOR)",
    "pyasn1": "the first passkey ceremony",
    "cbor2": "the first passkey ceremony",
    "segno": "the first second-factor enrolment (~5 MiB)",
    "pyotp": "the first second-factor enrolment or code",
    "httpx": "the first breach check (with httpcore and a TLS context, ~9 MiB)",
    "httpcore": "the first breach check",
    "obstore": "an S3 avatar store (~4 MiB)",
    "PIL": "the first avatar upload (~2 MiB)",
    "jinja2": "the first mail or account page (~2 MiB)",
    "aiosmtplib": "the first mail sent",
    "onnxruntime": "the first model used",
    "numpy": "the first model used",
    "anyio._backends._asyncio": "the first job in a worker thread (~80 ms to import)",
}

# Start a worker's app the way uvicorn does (app factory, then the lifespan), ask
# /health/ready through the ASGI interface (no HTTP client library, which would itself
# be one of the modules under watch), and report the modules held at that point.
_STARTED_WORKER = """
import asyncio, json, sys
from service.main import create_app

async def ready(app, state):
    sent = []
    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}
    async def send(message):
        sent.append(message)
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": "/health/ready", "raw_path": b"/health/ready",
        "query_string": b"", "headers": [(b"host", b"localhost")], "root_path": "",
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": dict(state),
    }
    await app(scope, receive, send)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")

async def main():
    app = create_app()
    async with app.router.lifespan_context(app) as state:
        status = await ready(app, state)
        held = sorted(sys.modules)
    print(json.dumps({"ready": status, "modules": held}))

asyncio.run(main())
"""


def started_worker(mongo_server: LocalServer, **env: str) -> dict[str, object]:
    """Start an app and its lifespan in a fresh interpreter; its readiness and modules."""
    completed = subprocess.run(
        [sys.executable, "-c", _STARTED_WORKER],
        cwd=REPO_ROOT,
        env={
            **os.environ,
            **_TEST_DEFAULTS,
            "MONGODB_URL": mongo_server.url,
            "MONGODB_DB": "lean_start",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_CAP_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return report


@pytest.mark.parametrize("smtp", [False, True], ids=["log-mail", "smtp"])
def test_a_started_worker_holds_no_library_only_some_requests_use(
    mongo_server: LocalServer, smtp: bool
) -> None:
    # Every feature on, as production runs: the breach check, models, mail over SMTP.
    report = started_worker(
        mongo_server,
        HIBP_ENABLED="true",
        HIBP_BASE_URL="http://127.0.0.1:9",
        ML_ENABLED="true",
        **({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": "9"} if smtp else {}),
    )
    assert report["ready"] == 200  # ready means able to serve, lazily loaded or not
    held = set(report["modules"])  # type: ignore[arg-type]
    held |= {name.partition(".")[0] for name in held}
    loaded = {name: why for name, why in LOADED_ON_FIRST_USE.items() if name in held}
    assert loaded == {}, f"loaded at start instead of on first use: {loaded}"


def test_the_login_timing_hash_costs_what_a_stored_hash_costs() -> None:
    # A login naming nobody verifies against this hash instead of a stored one: it must
    # carry the configured cost (same work, same time) and match no password.
    hasher = PasswordHasher(time_cost=2, memory_cost_kib=8192, parallelism=2)
    stored = hasher._hash.hash("a password someone chose")
    burn = hasher._dummy_hash
    assert argon2.extract_parameters(burn) == argon2.extract_parameters(stored)
    assert argon2.extract_parameters(burn).time_cost == 2
    assert argon2.extract_parameters(burn).memory_cost == 8192
    checker = PasswordHash((Argon2Hasher(),))
    for password in ("", "a password someone chose", "x" * 72):
        assert checker.verify(password, burn) is False
    assert burn != PasswordHasher(time_cost=2, memory_cost_kib=8192, parallelism=2)._dummy_hash
