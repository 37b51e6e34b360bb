"""The import contracts, derived from the one registration list, checked by import-linter.

    python -m scripts.import_contracts            # check this tree (make lint, CI)
    python -m scripts.import_contracts --print    # show the generated configuration

The domains come from `service.registry.DOMAINS`, so a new domain is held to every rule
below the moment it is registered: nobody edits a second list. The rules:

1. composition root: only `main`, `lifespan` and the CLI import `main` and `lifespan`;
2. domain services (`service.<domain>.service`) know nothing of HTTP;
3. inside a domain: routers -> dependencies -> services -> documents;
4. the shared kernel and the pieces beside it import no domain and no application module;
5. domains do not import each other (no exceptions: identity goes through the kernel);
6. no domain imports the application layer (`service.accounts`), which sits above them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from service.registry import APPLICATION, DOMAINS

# Modules below the domains: every domain may import them, they import no domain.
SHARED = (
    "service.kernel",
    "service.mail",
    "service.core",
    "service.http",
    "service.observability",
)
COMPOSITION_ROOT = ("service.main", "service.startup.lifespan", "service.__main__")
# Inside a domain, higher layers import lower ones only; a domain may lack any of them.
DOMAIN_LAYERS = (
    "(router) | (http)",
    "(dependencies)",
    "(migrate) : (uploads) : (service)",
    "(models)",
)


def _contract(key: str, name: str, kind: str, **fields: str | tuple[str, ...]) -> str:
    lines = [f"[importlinter:contract:{key}]", f"name = {name}", f"type = {kind}"]
    for field, value in fields.items():
        if isinstance(value, tuple):
            lines.append(f"{field} =")
            lines.extend(f"    {item}" for item in value)
        else:
            lines.append(f"{field} = {value}")
    return "\n".join(lines)


def configuration() -> str:
    """The import-linter configuration (INI) for the registered domains."""
    domains = tuple(domain.package for domain in DOMAINS)
    application = APPLICATION.package
    contracts = [
        "[importlinter]\nroot_package = service\ninclude_external_packages = True",
        _contract(
            "composition-root",
            "Only the composition root (main, lifespan, the CLI) imports main and lifespan",
            "forbidden",
            source_modules=(*domains, application, *SHARED, "service.core.database"),
            forbidden_modules=COMPOSITION_ROOT,
        ),
        _contract(
            "services-without-http",
            "Domain services know nothing of HTTP",
            "forbidden",
            source_modules=("service.*.service",),
            forbidden_modules=("fastapi", "starlette"),
            # The shared error base maps errors to responses; services only raise them.
            allow_indirect_imports="True",
        ),
        _contract(
            "domain-layers",
            "Inside a domain: routers -> dependencies -> services -> documents",
            "layers",
            containers=domains,
            layers=DOMAIN_LAYERS,
        ),
        _contract(
            "kernel-below-domains",
            "The shared kernel and the pieces beside it import no domain",
            "forbidden",
            source_modules=SHARED,
            forbidden_modules=(*domains, application),
            # The rate-limit middleware drives the limiter of the ratelimit domain.
            ignore_imports=(
                "service.http.ratelimit -> service.ratelimit.*",
                "service.http.ratelimit_install -> service.ratelimit.*",
            ),
        ),
        _contract(
            "domain-independence",
            "Domains do not import each other",
            "independence",
            modules=domains,
        ),
        _contract(
            "application-above-domains",
            "No domain imports the application layer (service.accounts)",
            "forbidden",
            source_modules=domains,
            forbidden_modules=(application,),
        ),
    ]
    return "\n\n".join(contracts) + "\n"


def check(tree: Path) -> int:
    """Run import-linter over `tree` with the generated contracts; its exit status."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "importlinter.ini"
        config.write_text(configuration())
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
    raise SystemExit(check(Path(__file__).resolve().parent.parent))


if __name__ == "__main__":
    main()
