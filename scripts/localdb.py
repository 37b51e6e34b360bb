"""A MongoDB-compatible server on any machine, for development and tests.

Picks, in order: `MONGODB_URL` if already set -> `mongod` on PATH -> `ferretdb` on PATH ->
FerretDB 1.24.x built from source with Go (cached) -> `docker run mongo:7` when a Docker
engine answers. The chosen
server listens on a free loopback port, keeps its data in the given directory, answers a
ping before this returns, and stops cleanly.

    python scripts/localdb.py start --data-dir .local/db   # prints MONGODB_URL, detaches
    python scripts/localdb.py stop  --data-dir .local/db
    python scripts/localdb.py build-ferretdb               # prints the binary's path
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# Run as `python scripts/localdb.py` as well as imported from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Re-exported: the launcher's callers catch the one error type, pick ports, build on their own.
from scripts.ferretdb_build import LocalDbError, build_ferretdb, ferretdb_command
from scripts.processes import free_port, spawn, wait_exit
from scripts.system_packages import docker_daemon_answers

STATE_FILE = "localdb.json"


@dataclass
class LocalServer:
    """A running (or external) server and how to stop it."""

    url: str
    kind: str
    data_dir: Path
    port: int = 0
    pid: int | None = None
    container: str | None = None
    command: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def stop(self) -> None:
        """Stop the server if this launcher started it; external servers are left alone."""
        if self.container:
            subprocess.run(["docker", "rm", "-f", self.container], check=False, capture_output=True)
        elif self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        elif self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
                wait_exit(self.pid, timeout_s=10)
        self.pid = None
        self.process = None
        self.container = None

    def restart(self) -> None:
        """Start the same server again on the same port and data directory."""
        if self.kind == "external":
            raise LocalDbError("an external MONGODB_URL cannot be restarted")
        self.process = spawn(self.command, self.data_dir / f"{self.kind}.log")
        self.pid = self.process.pid
        wait_until_ready(self.url, process=self.process)

    def to_json(self) -> str:
        """State to find this server again from another process."""
        return json.dumps(
            {
                "url": self.url,
                "kind": self.kind,
                "port": self.port,
                "pid": self.pid,
                "container": self.container,
                "command": self.command,
            }
        )


def wait_until_ready(
    url: str, timeout_s: float = 120.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Block until the server at `url` answers a ping; fail at once if `process` exits.

    The cap is generous (a loaded machine starts servers slowly); a dead server fails fast.
    """
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

    deadline = time.monotonic() + timeout_s
    client: MongoClient[dict[str, object]] = MongoClient(url, serverSelectionTimeoutMS=500)
    try:
        while True:
            try:
                client.admin.command("ping")
                return
            except PyMongoError as exc:
                if process is not None and process.poll() is not None:
                    raise LocalDbError(f"the server for {url} exited: {exc}") from exc
                if time.monotonic() > deadline:
                    raise LocalDbError(f"server at {url} did not answer a ping: {exc}") from exc
                time.sleep(0.2)
    finally:
        client.close()


def start_server(data_dir: Path, *, use_env: bool = True, port: int | None = None) -> LocalServer:
    """Start (or find) a server; see the module docstring for the order of choices."""
    if use_env and os.environ.get("MONGODB_URL"):
        return LocalServer(url=os.environ["MONGODB_URL"], kind="external", data_dir=data_dir)
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    url = f"mongodb://127.0.0.1:{port}"

    mongod = shutil.which("mongod")
    if mongod:
        command = [mongod, "--bind_ip", "127.0.0.1", "--port", str(port), "--dbpath", str(data_dir)]
        kind = "mongod"
    else:
        ferretdb = shutil.which("ferretdb")
        binary: Path | None = Path(ferretdb) if ferretdb else None
        build_error = None
        if binary is None:
            try:
                binary = build_ferretdb()
            except LocalDbError as exc:
                build_error = exc
        if binary is not None:
            command, kind = ferretdb_command(binary, data_dir, port), "ferretdb"
        elif docker_daemon_answers():
            return _start_docker(data_dir, port, url)
        else:
            raise LocalDbError(f"no mongod, no ferretdb, and no Docker engine: {build_error}")

    server = LocalServer(url=url, kind=kind, data_dir=data_dir, port=port, command=command)
    server.process = spawn(command, data_dir / f"{kind}.log")
    server.pid = server.process.pid
    try:
        wait_until_ready(url, process=server.process)
    except LocalDbError:
        server.stop()
        raise
    return server


def _start_docker(data_dir: Path, port: int, url: str) -> LocalServer:
    name = f"users-service-mongo-{port}"
    started = subprocess.run(
        [
            "docker",
            "run",
            "-d",
            "--rm",
            "--name",
            name,
            "-p",
            f"127.0.0.1:{port}:27017",
            "-v",
            f"{data_dir}:/data/db",
            "mongo:7",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        reason = (started.stderr.strip().splitlines() or ["no output"])[-1]
        raise LocalDbError(f"`docker run mongo:7` failed ({reason}); set MONGODB_URL")
    server = LocalServer(url=url, kind="docker", data_dir=data_dir, port=port, container=name)
    wait_until_ready(url, timeout_s=60)
    return server


def _state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def main(argv: list[str] | None = None) -> int:
    """`start`, `stop` or `build-ferretdb` from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=["start", "stop", "build-ferretdb"])
    parser.add_argument("--data-dir", type=Path, default=Path(".local/db"))
    args = parser.parse_args(argv)
    try:
        if args.command == "build-ferretdb":
            print(build_ferretdb())
            return 0
        state = _state_path(args.data_dir)
        if args.command == "stop":
            if state.exists():
                saved = json.loads(state.read_text())
                LocalServer(
                    url=saved["url"],
                    kind=saved["kind"],
                    data_dir=args.data_dir,
                    pid=saved["pid"],
                    container=saved["container"],
                ).stop()
                # Keep the port on record: the next `start` reuses it, so a service that is
                # still running reconnects on its own.
                state.write_text(json.dumps({**saved, "pid": None, "container": None}))
            return 0
        port = None
        if state.exists():  # already running from an earlier `start`?
            saved = json.loads(state.read_text())
            with contextlib.suppress(LocalDbError):
                wait_until_ready(saved["url"], timeout_s=1)
                print(saved["url"])
                return 0
            # Stopped since: come back on the same port, so running services reconnect.
            port = saved.get("port") or None
        server = start_server(args.data_dir, port=port)
        if server.process is not None:
            server.process.returncode = 0  # detached on purpose: it outlives this command
        if server.kind != "external":
            state.write_text(server.to_json())
        print(server.url)
        return 0
    except LocalDbError as exc:
        print(f"localdb: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
