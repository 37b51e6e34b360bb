"""The servers under test run on the packages the image installs (`requirements.txt`),
not on the development environment's.

Libraries pick up optional packages when they are present: with the development tools
installed, structlog loads rich and pygments for its console renderer, for instance. A
worker measured there would carry memory and start-up time that production never pays.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".local" / "bench-venv"


def image_python() -> str:
    """The interpreter of a virtualenv holding exactly `requirements.txt` (built, or rebuilt
    when the pins change, with the same `uv` and hashes as `make install`)."""
    requirements = ROOT / "requirements.txt"
    python, stamp = VENV / "bin" / "python", VENV / ".requirements-sha256"
    wanted = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return str(python)
    uv = str(Path(sys.executable).parent / "uv")
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(VENV)], check=True)
    install = ["pip", "install", "--quiet", "--compile-bytecode", "--require-hashes"]
    subprocess.run([uv, *install, "--python", str(python), "-r", str(requirements)], check=True)
    stamp.write_text(wanted)
    return str(python)
