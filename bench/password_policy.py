"""CPU per request of registration and login, with and without the password checks.

    python -m bench.password_policy [label]

Runs the app in-process (its real lifespan, ASGI transport) against a FerretDB started
for the run, with production Argon2 cost, and counts this process's CPU time
(`time.process_time`, every thread: the event loop, hashing and zxcvbn) over sequential
requests. Variants: the breach check off, and on against a range-API server on loopback
run in a child process (its CPU is not counted, as HIBP's would not be). Settings this tree
does not know are ignored, so the same script measures an older tree for a baseline.
Prints one JSON object per measurement.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from scripts.localdb import free_port, start_server
from service.core.config import Settings
from service.main import create_app

REQUESTS = 30
ROUNDS = 3
PASSWORD = "Mossy-Anvil-Sprocket-44"  # noqa: S105 - a benchmark user's password


class _Range(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        # A padded answer of the real size: ~800 lines of 35 hex digits and a count.
        body = "\r\n".join(f"{uuid.uuid4().hex[:35].upper()}:{i % 3}" for i in range(800))
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve_range(port: int) -> None:
    ThreadingHTTPServer(("127.0.0.1", port), _Range).serve_forever()


async def _cpu_per_request(client: httpx.AsyncClient, send: Any) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(REQUESTS):
            await send(client)
        samples.append((time.process_time() - started) / REQUESTS * 1000)
    return round(statistics.median(samples), 2)


async def _register(client: httpx.AsyncClient) -> None:
    name = f"b{uuid.uuid4().hex[:12]}"
    body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    response = await client.post("/users", json=body)
    assert response.status_code == 201, response.text


async def _measure(mongodb_url: str, label: str, **changes: object) -> dict[str, object]:
    settings = Settings(
        mongodb_url=mongodb_url,
        mongodb_db=f"bench_{uuid.uuid4().hex[:8]}",
        rate_limit_enabled=False,
        access_log_enabled=False,
        log_level="WARNING",
        **changes,  # type: ignore[arg-type]
    )
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await _register(client)  # warm-up: connections, indexes, first hash
            registration = await _cpu_per_request(client, _register)
            name = f"login{uuid.uuid4().hex[:8]}"
            body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
            assert (await client.post("/users", json=body)).status_code == 201
            form = {"username": name, "password": PASSWORD}

            async def log_in(http: httpx.AsyncClient) -> None:
                assert (await http.post("/auth/token", data=form)).status_code == 200

            login = await _cpu_per_request(client, log_in)
    return {"tree": label, **changes, "post_users_cpu_ms": registration, "auth_token_cpu_ms": login}


async def _policy_alone(port: int) -> None:
    """CPU of one `PasswordPolicy.check` without and with the breach lookup (this tree)."""
    try:
        from prometheus_client import Counter

        from service.passwords.policy import PasswordPolicy
        from service.startup.password_policy import build_http_client, build_password_policy
    except ImportError:  # a tree without the policy
        return
    for enabled in (False, True):
        settings = Settings(hibp_enabled=enabled, hibp_base_url=f"http://127.0.0.1:{port}")
        checks = Counter("checks", "Checks.", ["outcome"], registry=None)
        async with build_http_client(settings) as http:
            policy = build_password_policy(settings, None, lambda: http, checks)
            for length in (23, 72, 128):
                password = (PASSWORD * 6)[:length]

                async def check(
                    _: object, password: str = password, policy: PasswordPolicy = policy
                ) -> None:
                    await policy.check(password, username="bench", email=None, field="password")

                cpu = await _cpu_per_request(http, check)
                row = {"policy_check_cpu_ms": cpu, "hibp_enabled": enabled, "length": length}
                print(json.dumps(row), flush=True)


async def main(label: str) -> None:
    """Measure each variant and print it."""
    port = free_port()
    server = multiprocessing.Process(target=_serve_range, args=(port,), daemon=True)
    server.start()
    with tempfile.TemporaryDirectory() as data:
        mongo = start_server(Path(data), use_env=True)
        try:
            await _policy_alone(port)
            # Interleaved, as this machine drifts: off, on, off, on.
            for changes in ({"hibp_enabled": False}, {"hibp_enabled": True}) * 2:
                base = {"hibp_base_url": f"http://127.0.0.1:{port}"}
                print(json.dumps(await _measure(mongo.url, label, **base, **changes)), flush=True)
        finally:
            mongo.stop()
            server.terminate()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "this tree"))
