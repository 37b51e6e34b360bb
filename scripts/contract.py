"""The committed OpenAPI contract: write it, and refuse unannounced breaking changes.

    python -m scripts.contract write      # openapi.json from the app (make openapi)
    python -m scripts.contract breaking   # against the last release (make contract-check)
    python -m scripts.contract release    # record openapi.json as released (at a release)

The last release is `contract/released.json`, the document as it stood when the version in
its `info.version` was released (`release` copies it there). A change that breaks a client
of that release fails `breaking` unless `service.__version__` announces it: a major bump
(a minor bump while the major is 0), the semantic-versioning rule oasdiff applies with
`--fail-on MISSING-VERSION-BUMP`. oasdiff judges paths, parameters and schemas; a renamed
operationId (every generated client's method name) is checked here, under the same rule.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "openapi.json"
RELEASED = ROOT / "contract" / "released.json"
OASDIFF = Path(os.environ.get("OASDIFF", ROOT / ".tools" / "bin" / "oasdiff"))


def document() -> dict[str, Any]:
    """The OpenAPI document the app serves (it depends on no setting; a test holds it so)."""
    from service.core.config import Environment, Settings
    from service.main import create_app

    settings = Settings(_env_file=None, environment=Environment.DEVELOPMENT)  # type: ignore[call-arg]
    return create_app(settings).openapi()


def render(doc: dict[str, Any]) -> str:
    """The committed form: stable key order as FastAPI emits it, two-space indent."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def _announces_break(released: str, current: str) -> bool:
    """Whether going from version `released` to `current` may break clients (semver)."""
    old = [int(part) for part in released.split(".")[:2]]
    new = [int(part) for part in current.split(".")[:2]]
    if old[0] == 0 and new[0] == 0:
        return new[1] > old[1]
    return new[0] > old[0]


def renamed_operations(base: dict[str, Any], revision: dict[str, Any]) -> list[str]:
    """Operations of `base` still served by `revision` under another operationId."""
    renamed = []
    for path, operations in base.get("paths", {}).items():
        for method, operation in operations.items():
            now = revision.get("paths", {}).get(path, {}).get(method)
            if now is not None and now.get("operationId") != operation.get("operationId"):
                renamed.append(
                    f"{method.upper()} {path}: operationId {operation.get('operationId')!r}"
                    f" -> {now.get('operationId')!r}"
                )
    return renamed


def breaking(base: Path, revision: Path) -> int:
    """0 when `revision` breaks no client of `base`, or announces it by its version."""
    if not OASDIFF.exists():
        print(f"{OASDIFF} is missing: run `make tools` (installs oasdiff with Go)")
        return 2
    result = subprocess.run(
        [
            str(OASDIFF),
            "breaking",
            str(base),
            str(revision),
            "--color",
            "never",
            "--fail-on",
            "MISSING-VERSION-BUMP",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    print(result.stdout + result.stderr, end="")
    old, new = _load(base), _load(revision)
    renamed = renamed_operations(old, new)
    versions = old["info"]["version"], new["info"]["version"]
    if renamed and not _announces_break(*versions):
        print("renamed operations (a break for every generated client):")
        print("\n".join(f"  {line}" for line in renamed))
    failed = result.returncode != 0 or (renamed and not _announces_break(*versions))
    if failed:
        print(
            f"Breaking change against the released contract ({versions[0]}). If it is "
            "intended, bump __version__ in service/__init__.py (major; minor while 0.x), "
            "run `make clients` and say so in the changelog; see docs/clients.md."
        )
    return 1 if failed else 0


def main() -> None:
    """Run one of the commands above."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("write", help="regenerate openapi.json")
    check = commands.add_parser("breaking", help="compare with the released contract")
    check.add_argument("--base", type=Path, default=RELEASED)
    check.add_argument("--revision", type=Path, default=CONTRACT)
    commands.add_parser("release", help="record openapi.json as the released contract")
    args = parser.parse_args()
    if args.command == "write":
        CONTRACT.write_text(render(document()))
    elif args.command == "breaking":
        sys.exit(breaking(args.base, args.revision))
    else:
        RELEASED.parent.mkdir(exist_ok=True)
        shutil.copyfile(CONTRACT, RELEASED)


if __name__ == "__main__":
    main()
