"""Summarise a py-spy profile (`py-spy record -f raw`): share of samples by package.

    py-spy record -p <server pid> -d 7 -r 400 -f raw -o profile.txt --nonblocking
    python -m bench.spy_summary profile.txt

Used for bench/PROFILE.md; py-spy is a profiling tool, not a project dependency.
"""

from __future__ import annotations

import collections
import sys


def package_of(frame: str) -> str:
    """The top-level package of a py-spy frame such as `f (fastapi/routing.py:10)`."""
    path = frame.rsplit("(", 1)[-1].rstrip(")")
    if "/" in path and not path.startswith("/"):
        return path.split("/")[0]
    return "stdlib/other"


def main() -> None:
    """Print each package's share of the samples (self time)."""
    total = 0
    packages: collections.Counter[str] = collections.Counter()
    with open(sys.argv[1], encoding="utf-8") as profile:
        for line in profile:
            stack, count = line.rsplit(" ", 1)
            total += int(count)
            packages[package_of(stack.split(";")[-1])] += int(count)
    print(f"samples: {total}")
    for name, count in packages.most_common(12):
        print(f"{count / total * 100:5.1f}%  {name}")


if __name__ == "__main__":
    main()
