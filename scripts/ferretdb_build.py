"""FerretDB built from its Go module source, with the atomic-writes patch, cached; its command.

python scripts/localdb.py build-ferretdb    # prints the binary's path
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.step_timings import CACHE_DIR, expectation, last_duration, record_duration

FERRETDB_MODULE = "github.com/FerretDB/FerretDB"
# v1.24.1 first; the Go proxy has refused to serve it at times, so 1.24.2 and 1.24.0 follow.
FERRETDB_VERSIONS = ("v1.24.1", "v1.24.2", "v1.24.0")
# Upstream FerretDB 1.24 runs update/findAndModify/delete as read, apply in Go, write by _id
# without re-checking the filter, so two guarded updates of one document can both win. This
# patch serialises those handlers, making single-document writes atomic as on MongoDB. The
# marker names the cached binary, so a build without the patch is never reused.
FERRETDB_PATCH = Path(__file__).with_name("ferretdb-atomic-writes.patch")
FERRETDB_PATCH_MARKER = "atomic1"


class LocalDbError(RuntimeError):
    """No MongoDB-compatible server could be started (or FerretDB built)."""


def _go_env() -> dict[str, str]:
    return {**os.environ, "GOFLAGS": "-buildvcs=false", "CGO_ENABLED": "0"}


def build_ferretdb() -> Path:
    """Build FerretDB from the Go module proxy into the cache; reuse an earlier build."""
    for version in FERRETDB_VERSIONS:
        binary = _build_dir(version) / "ferretdb"
        if binary.exists():
            return binary
    go = shutil.which("go")
    if go is None:
        raise LocalDbError("Go is not installed, so FerretDB cannot be built")
    errors: list[str] = []
    for version in FERRETDB_VERSIONS:
        try:
            return _build_ferretdb_version(go, version)
        except LocalDbError as exc:
            errors.append(f"{version}: {exc}")
    raise LocalDbError("could not build FerretDB:\n" + "\n".join(errors))


def _build_dir(version: str) -> Path:
    return CACHE_DIR / f"ferretdb-{version}-{FERRETDB_PATCH_MARKER}"


def _apply_patch(source: Path) -> None:
    result = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", str(FERRETDB_PATCH.resolve())],
        cwd=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise LocalDbError(f"the atomic-writes patch does not apply: {result.stderr.strip()}")


def _download_module(go: str, version: str) -> Path:
    # `go install pkg@version` also fetches the module's version list, which the proxy has
    # refused (403) for FerretDB; downloading the one version and building it avoids that.
    for extra_env in ({}, {"GOSUMDB": "off"}):
        result = subprocess.run(
            [go, "mod", "download", "-json", f"{FERRETDB_MODULE}@{version}"],
            capture_output=True,
            text=True,
            env={**_go_env(), **extra_env},
            check=False,
        )
        try:
            info = json.loads(result.stdout)
        except json.JSONDecodeError:
            info = {"Error": result.stderr.strip() or "no output"}
        if "Dir" in info and "Error" not in info:
            return Path(info["Dir"])
        last_error = str(info.get("Error", result.stderr))
        if "checksum" not in last_error and "verifying" not in last_error:
            break
    raise LocalDbError(last_error)


def _build_ferretdb_version(go: str, version: str) -> Path:
    started = time.monotonic()
    hint = expectation("ferretdb-build", "2-6 minutes on two cores")
    print(
        f"localdb: building FerretDB {version} from source, once per machine ({hint})...",
        file=sys.stderr,
        flush=True,
    )
    module_dir = _download_module(go, version)
    target = _build_dir(version)
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "src"
        shutil.copytree(module_dir, source)
        for path in source.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)
        # The module zip lacks the generated version file that FerretDB's binary insists on.
        (source / "build" / "version" / "version.txt").write_text(version + "\n")
        _apply_patch(source)
        target.mkdir(parents=True, exist_ok=True)
        returncode, output = _run_with_heartbeat(
            [go, "build", "-trimpath", "-o", str(target / "ferretdb"), "./cmd/ferretdb"],
            source,
            started,
        )
    if returncode != 0:
        raise LocalDbError(output.strip()[-2000:])
    seconds = time.monotonic() - started
    record_duration("ferretdb-build", seconds)
    print(
        f"localdb: built FerretDB {version} (+{FERRETDB_PATCH_MARKER}) in {seconds:.1f}s",
        file=sys.stderr,
    )
    return target / "ferretdb"


def _run_with_heartbeat(command: list[str], cwd: Path, started: float) -> tuple[int, str]:
    """Run a long build, saying every 15 s that it is still going (so nobody thinks it hung)."""
    with tempfile.TemporaryFile(mode="w+") as output:
        process = subprocess.Popen(
            command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, text=True, env=_go_env()
        )
        while True:
            try:
                returncode = process.wait(timeout=15)
                break
            except subprocess.TimeoutExpired:
                elapsed = time.monotonic() - started
                last = last_duration("ferretdb-build")
                of = f" of about {last:.0f} s last time" if last else ""
                print(
                    f"localdb: still building FerretDB ({elapsed:.0f} s{of})",
                    file=sys.stderr,
                    flush=True,
                )
        output.seek(0)
        return returncode, output.read()


def ferretdb_command(binary: Path, data_dir: Path, port: int) -> list[str]:
    """The command line that serves `data_dir` (SQLite) on loopback `port`."""
    return [
        str(binary),
        "--handler=sqlite",
        f"--sqlite-url=file:{data_dir}/",
        f"--listen-addr=127.0.0.1:{port}",
        "--telemetry=disable",
        "--debug-addr=-",
        f"--state-dir={data_dir}",  # not the working directory (the repository)
        "--log-level=warn",
    ]
