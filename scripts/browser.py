"""Find (or install, where permitted) the Chromium the browser tests drive.

The tests never download a browser: they drive the system's Chromium through Playwright.
`ensure` prints its path, installing Debian's `chromium` when missing and permitted;
otherwise it stops with one line saying what to install.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.system_packages import apt_install

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """`CHROMIUM_PATH` when set, else the first Chromium on PATH (None: none here)."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def ensure_chromium() -> str:
    """The path of a Chromium, installing Debian's package when missing and permitted."""
    found = find_chromium()
    if found:
        return found
    installed, why_not = apt_install("chromium", "chromium")
    if installed is None:
        raise SystemExit(
            f"the browser tests need Chromium ({why_not}): `sudo apt-get install chromium`, "
            "or set CHROMIUM_PATH to a Chromium or Chrome binary"
        )
    return installed


def main(argv: list[str] | None = None) -> int:
    """`ensure`: print the Chromium path (installing it if needed)."""
    args = sys.argv[1:] if argv is None else argv
    if args != ["ensure"]:
        print("usage: python scripts/browser.py ensure", file=sys.stderr)
        return 2
    print(ensure_chromium())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
