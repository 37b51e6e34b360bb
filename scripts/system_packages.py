"""Install a missing Debian package, only where that needs no password and no question.

Permitted when apt-get exists and we are root or have passwordless sudo; never when
`USERS_SERVICE_NO_INSTALL` is set (for people who manage their machine themselves).
Otherwise the caller is told why not, and falls back or fails with one clear line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time


def install_blocker() -> str | None:
    """Why a package cannot be installed here without asking anyone (None: it can)."""
    if os.environ.get("USERS_SERVICE_NO_INSTALL"):
        return "USERS_SERVICE_NO_INSTALL is set"
    if shutil.which("apt-get") is None:
        return "no apt-get on this machine"
    if os.geteuid() == 0:
        return None
    if shutil.which("sudo") is None:
        return "not root and no sudo"
    probe = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False)
    return None if probe.returncode == 0 else "sudo asks for a password"


def apt_install(package: str, binary: str) -> tuple[str | None, str]:
    """Install `package` with apt-get if permitted: the path of `binary` (None when not
    installed) and, if not, why. Progress goes to stderr (stdout carries callers' URLs)."""
    blocker = install_blocker()
    if blocker is not None:
        return None, f"not installed: {blocker}"
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    started = time.monotonic()
    print(f"installing {package} with apt-get (one time)...", file=sys.stderr, flush=True)
    for command in (
        [*sudo, "apt-get", "update", "-q"],
        [*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", package],
    ):
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
            return None, f"apt-get failed: {reason}"
    print(f"installed {package} in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    found = shutil.which(binary)
    return found, "" if found else f"installed, but no {binary} on PATH"


def docker_daemon_answers() -> bool:
    """Is there a docker CLI whose engine answers? (A CLI without an engine is common.)"""
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    except subprocess.TimeoutExpired:
        return False
    return probe.returncode == 0
