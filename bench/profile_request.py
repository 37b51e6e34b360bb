"""Profile the service's own cost for one endpoint, in-process, without HTTP parsing.

    python -m bench.profile_request /users/<id>     # MONGODB_URL / MONGODB_DB of a seeded DB

Drives the ASGI app directly (no client library in the profile) and prints where the time
goes, with pyinstrument (`pip install pyinstrument`; not a project dependency). Used to
find what `make bench` shows as overhead.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import Any

from asgi_lifespan import LifespanManager
from bson import ObjectId
from pyinstrument import Profiler

from bench.token_keys import SIGNING_KEY, bench_token
from service.core.config import Settings
from service.main import create_app

SECRET = "bench-only-signing-secret-" + "b" * 40


async def _drive(app: Any, path: str, token: str, count: int) -> float:
    body_done = False

    async def receive() -> dict[str, Any]:
        nonlocal body_done
        if body_done:
            await asyncio.sleep(3600)
        body_done = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise RuntimeError(f"status {message['status']}")

    path_only, _, query = path.partition("?")
    started = time.perf_counter()
    for _ in range(count):
        nonlocal_scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path_only,
            "raw_path": path_only.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 8000),
        }
        body_done = False
        await app(nonlocal_scope, receive, send)
    return (time.perf_counter() - started) / count * 1e6


async def main() -> None:
    """Warm up, then profile `count` requests to the given path."""
    path, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    settings = Settings(
        jwt_secret=SECRET,
        jwt_signing_key=SIGNING_KEY,
        environment="production",
        smtp_host="127.0.0.1",  # production needs one; this profile sends no mail
        log_level="INFO",
        allowed_hosts=["*"],  # the driver sends no Host header
        rate_limit_enabled=False,  # bench/ratelimit_cost.py measures the limiter
    )
    real_stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115, ASYNC230 - once, before serving
    app = create_app(settings)
    user_id = path.rstrip("/").rsplit("/", 1)[-1]
    ObjectId(user_id)  # the path must end with a seeded user's id, used for the token too
    token = bench_token(user_id, "profile")
    async with LifespanManager(app) as manager:
        await _drive(manager.app, path, token, 200)
        plain_us = await _drive(manager.app, path, token, count)
        profiler = Profiler(interval=0.0002, async_mode="enabled")
        profiler.start()
        await _drive(manager.app, path, token, count)
        profiler.stop()
    sys.stdout = real_stdout
    print(f"{plain_us:.0f} µs per request (wall, one request at a time, unprofiled)")
    print(profiler.output_text(unicode=True, show_all=True, short_mode=False))


if __name__ == "__main__":
    import uvloop

    uvloop.run(main())
