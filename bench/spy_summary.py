"""Summarise a py-spy profile (`py-spy record -f raw`): share of samples by package.

    py-spy record -p <server pid> -d 7 -r 400 -f raw -o profile.txt --nonblocking
    python -m bench.spy_summary profile.txt

The harness (`bench/profile.py`) records S and B this way under load and turns the shares
into microseconds per request. The service's own frames are split by sub-package
(`service/http`, `service/api`, ...) so the table says which layer costs what. py-spy is
a profiling tool in the dev extra, not a runtime dependency.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path


def package_of(frame: str) -> str:
    """The package of a py-spy frame such as `f (fastapi/routing.py:10)`: its top-level
    package, or `service/<sub-package>` for the service's own code."""
    path = frame.rsplit("(", 1)[-1].rstrip(")")
    if "/" in path and not path.startswith("/"):
        parts = path.split("/")
        if parts[0] == "service" and len(parts) > 2:
            return "service/" + parts[1]
        return parts[0] if parts[0] != "service" else "service"
    return "stdlib/other"


def shares(profile: Path) -> dict[str, float]:
    """Each package's share of the samples (self time), from 0 to 1, largest first."""
    total = 0
    packages: collections.Counter[str] = collections.Counter()
    with profile.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            stack, count = line.rsplit(" ", 1)
            total += int(count)
            packages[package_of(stack.split(";")[-1])] += int(count)
    return {name: count / max(total, 1) for name, count in packages.most_common()}


def main() -> None:
    """Print each package's share of the samples (self time)."""
    for name, share in list(shares(Path(sys.argv[1])).items())[:16]:
        print(f"{share * 100:5.1f}%  {name}")


if __name__ == "__main__":
    main()
