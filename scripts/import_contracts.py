"""The import contracts of `service/`, checked by import-linter (`make lint`, CI).

    python -m scripts.import_contracts            # check this tree
    python -m scripts.import_contracts --print    # show the generated configuration

The configuration is generated from the packages on disk, so a new domain (say `teams`)
is held to every rule the moment its directory exists; nobody edits a list. The rules:

1. layers, each importing only downward: the composition root (`main`, `__main__`), the
   CLI commands, `api` (all HTTP routes), `startup` (the lifespan state), `accounts` (use
   cases spanning domains), `http` : `observability` (plumbing), the domains, `core`;
2. domains are independent of each other;
3. domains, `accounts` and `core` import no FastAPI or Starlette, not even indirectly;
4. every package and top-level module of `service/` is in some contract (checked here:
   the script fails naming any that is not).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

TREE = Path(__file__).resolve().parent.parent
ROOT = ("service.main", "service.__main__")
# Everything that is not a domain, from the top down (domains sit between these and core).
ABOVE_DOMAINS = (
    ("service.cli",),
    ("service.api",),
    ("service.startup",),
    ("service.accounts",),
    ("service.http", "service.observability"),
)
CORE = "service.core"
HTTP_LIBRARIES = ("fastapi", "starlette")


def packages(tree: Path) -> list[str]:
    """Every package directly under `service/`, as a dotted name."""
    return sorted(
        f"service.{path.parent.name}" for path in (tree / "service").glob("*/__init__.py")
    )


def domains(tree: Path) -> list[str]:
    """The domain packages: every package that is not a layer of its own."""
    layered = {name for layer in ABOVE_DOMAINS for name in layer} | {CORE}
    return [package for package in packages(tree) if package not in layered]


def _contract(key: str, name: str, kind: str, **fields: str | tuple[str, ...]) -> str:
    lines = [f"[importlinter:contract:{key}]", f"name = {name}", f"type = {kind}"]
    for field, value in fields.items():
        if isinstance(value, tuple):
            lines.append(f"{field} =")
            lines.extend(f"    {item}" for item in value)
        else:
            lines.append(f"{field} = {value}")
    return "\n".join(lines)


def configuration(tree: Path = TREE) -> str:
    """The import-linter configuration (INI) for the packages of `tree`."""
    found = tuple(domains(tree))
    layers = (
        " | ".join(ROOT),
        *(" : ".join(layer) for layer in ABOVE_DOMAINS),
        " | ".join(found),
        CORE,
    )
    contracts = [
        "[importlinter]\nroot_package = service\ninclude_external_packages = True",
        _contract("layers", "Each layer imports only the layers below it", "layers", layers=layers),
        _contract("domains", "Domains do not import each other", "independence", modules=found),
        _contract(
            "no-http-below-accounts",
            "Domains, use cases and core import no FastAPI or Starlette, even indirectly",
            "forbidden",
            source_modules=(*found, "service.accounts", CORE),
            forbidden_modules=HTTP_LIBRARIES,
        ),
    ]
    return "\n\n".join(contracts) + "\n"


def uncovered(tree: Path) -> list[str]:
    """Top-level modules of `service/` that no contract names (only the root may be one)."""
    modules = {f"service.{path.stem}" for path in (tree / "service").glob("*.py")}
    return sorted(modules - set(ROOT) - {"service.__init__"})


def check(tree: Path) -> int:
    """Run import-linter over `tree` with the generated contracts; its exit status."""
    loose = uncovered(tree)
    if loose:
        print("modules in no contract (move them into a package):", ", ".join(loose))
        return 1
    lint_imports = Path(sys.executable).parent / "lint-imports"
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "importlinter.ini"
        config.write_text(configuration(tree))
        result = subprocess.run(
            [str(lint_imports), "--config", str(config), "--no-cache"],
            cwd=tree,
            env={"PYTHONPATH": str(tree), "PATH": str(lint_imports.parent)},
            check=False,
        )
    return result.returncode


def main() -> None:
    """Print the configuration, or check the tree this script belongs to."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the configuration only")
    args = parser.parse_args()
    if args.print:
        print(configuration(), end="")
        return
    raise SystemExit(check(TREE))


if __name__ == "__main__":
    main()
