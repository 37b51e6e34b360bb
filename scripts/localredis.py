"""A Redis server on any machine, for the rate limiter in development and tests.

Picks, in order: `REDIS_URL` if already set -> `redis-server` on PATH -> Debian's
`redis-server` package, installed when that needs no password (root or passwordless sudo,
see scripts/system_packages.py) -> `docker run redis:7` when a Docker engine answers.
The server listens on a free loopback port, keeps nothing on disk (counters are
short-lived), answers PING before this returns, and stops cleanly.

    python scripts/localredis.py start --data-dir .local/redis   # prints the redis:// URL
    python scripts/localredis.py start --or-memory ...   # no Redis possible: memory://
    python scripts/localredis.py stop  --data-dir .local/redis
    python scripts/localredis.py ensure   # make Redis startable (install it) or say why not
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

# Run as `python scripts/localredis.py` as well as imported from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.localdb import LocalServer
from scripts.processes import free_port, spawn
from scripts.system_packages import apt_install, docker_daemon_answers

STATE_FILE = "localredis.json"
# Said once when `make run` falls back to in-process counting.
MEMORY_FALLBACK = (
    "no Redis, so rate limits count in memory (memory://): each worker process keeps its "
    "own quota and a restart forgets them"
)


class LocalRedisError(RuntimeError):
    """No Redis server could be started."""


class LocalRedis(LocalServer):
    """A running (or external) Redis server and how to stop it: the database launcher's
    process handling, with Redis's own restart and readiness check."""

    def restart(self) -> None:
        """Start the same server again on the same port."""
        if not self.command:
            raise LocalRedisError(f"a {self.kind} Redis cannot be restarted")
        self.process = spawn(self.command, self.data_dir / "redis.log")
        self.pid = self.process.pid
        wait_until_ready(self.port, process=self.process)


def wait_until_ready(
    port: int, timeout_s: float = 120.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Block until the server on `port` answers PING; fail at once if `process` exits.

    The cap is generous (a loaded machine starts servers slowly); a dead server fails fast.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(64).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise LocalRedisError(f"Redis for port {port} exited (see its redis.log)")
        if time.monotonic() > deadline:
            raise LocalRedisError(f"Redis on port {port} did not answer PING")
        time.sleep(0.05)


def _redis_command(binary: str, data_dir: Path, port: int) -> list[str]:
    return [
        binary,
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(data_dir),
        "--save",
        "",
        "--appendonly",
        "no",
        "--protected-mode",
        "yes",
    ]


def start_redis(data_dir: Path, *, use_env: bool = True, port: int | None = None) -> LocalRedis:
    """Start (or find) a Redis server; see the module docstring for the order of choices."""
    if use_env and os.environ.get("REDIS_URL"):
        return LocalRedis(url=os.environ["REDIS_URL"], kind="external", data_dir=data_dir)
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    binary = shutil.which("redis-server")
    if binary is None:
        binary, why_not = apt_install("redis-server", "redis-server")
        if binary is None:
            if docker_daemon_answers():
                return _start_docker(data_dir, port)
            raise LocalRedisError(
                f"no redis-server ({why_not}) and no Docker engine answers; "
                "`sudo apt-get install redis-server` (or `brew install redis`), or set REDIS_URL"
            )
    command = _redis_command(binary, data_dir, port)
    url = f"redis://127.0.0.1:{port}/0"
    server = LocalRedis(url=url, kind="redis-server", data_dir=data_dir, port=port, command=command)
    server.process = spawn(command, data_dir / "redis.log")
    server.pid = server.process.pid
    try:
        wait_until_ready(port, process=server.process)
    except LocalRedisError:
        server.stop()
        raise
    return server


def _start_docker(data_dir: Path, port: int) -> LocalRedis:
    name = f"users-service-redis-{port}"
    started = subprocess.run(
        ["docker", "run", "-d", "--rm", "--name", name, "-p", f"127.0.0.1:{port}:6379", "redis:7"],
        capture_output=True,
        text=True,
        check=False,
    )
    if started.returncode != 0:
        reason = (started.stderr.strip().splitlines() or ["no output"])[-1]
        raise LocalRedisError(f"`docker run redis:7` failed ({reason}); set REDIS_URL")
    url = f"redis://127.0.0.1:{port}/0"
    server = LocalRedis(url=url, kind="docker", data_dir=data_dir, port=port, container=name)
    wait_until_ready(port, timeout_s=60)
    return server


def ensure_startable() -> None:
    """Make sure `start_redis` can succeed here (installing redis-server if permitted)."""
    if shutil.which("redis-server"):
        return
    binary, why_not = apt_install("redis-server", "redis-server")
    if binary is None and not docker_daemon_answers():
        raise LocalRedisError(
            f"the rate-limit tests need Redis: no redis-server ({why_not}) and no Docker "
            "engine answers; `sudo apt-get install redis-server` (or `brew install redis`)"
        )


def main(argv: list[str] | None = None) -> int:
    """`start` or `stop` from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=["start", "stop", "ensure"])
    parser.add_argument("--data-dir", type=Path, default=Path(".local/redis"))
    parser.add_argument(
        "--or-memory",
        action="store_true",
        help="when no Redis can be had, print memory:// and say what that loses",
    )
    args = parser.parse_args(argv)
    state = args.data_dir / STATE_FILE
    try:
        if args.command == "ensure":
            ensure_startable()
            return 0
        if args.command == "stop":
            if state.exists():
                saved = json.loads(state.read_text())
                LocalRedis(
                    url=saved["url"],
                    kind=saved["kind"],
                    data_dir=args.data_dir,
                    pid=saved["pid"],
                    container=saved["container"],
                ).stop()
                state.unlink()
            return 0
        if state.exists():  # already running from an earlier `start`?
            saved = json.loads(state.read_text())
            with contextlib.suppress(LocalRedisError):
                wait_until_ready(saved["port"], timeout_s=1)
                print(saved["url"])
                return 0
        server = start_redis(args.data_dir)
        if server.process is not None:
            server.process.returncode = 0  # detached on purpose: it outlives this command
        if server.kind != "external":
            state.write_text(server.to_json())
        print(server.url)
        return 0
    except LocalRedisError as exc:
        if args.or_memory:
            print(f"localredis: {MEMORY_FALLBACK} [{exc}]", file=sys.stderr)
            print("memory://")
            return 0
        print(f"localredis: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
