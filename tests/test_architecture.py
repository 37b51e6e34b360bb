"""Structural rules the design relies on: pure-ASGI middleware, and the import contracts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware

from service.startup.lifespan import State


def test_no_base_http_middleware_anywhere(app: FastAPI, repo_root: Path) -> None:
    # BaseHTTPMiddleware runs the app in another task (losing contextvars) and costs a task
    # switch per request; every middleware here must be pure ASGI.
    for middleware in app.user_middleware:
        assert isinstance(middleware.cls, type)
        assert not issubclass(middleware.cls, BaseHTTPMiddleware), middleware.cls
    for source in (repo_root / "service").rglob("*.py"):
        assert "starlette.middleware.base" not in source.read_text(), source


def _check_contracts(tree: Path) -> subprocess.CompletedProcess[str]:
    # The suite's own interpreter, on the given tree: the contracts come from its registry.
    return subprocess.run(
        [sys.executable, "-m", "scripts.import_contracts"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_import_contracts_hold_and_catch_a_new_crossing(
    repo_root: Path, tmp_path: Path
) -> None:
    held = _check_contracts(repo_root)
    assert held.returncode == 0, held.stdout + held.stderr
    # A copy of the tree with one new cross-domain import: the contracts must refuse it.
    for package in ("service", "scripts"):
        shutil.copytree(
            repo_root / package, tmp_path / package, ignore=shutil.ignore_patterns("static")
        )
    idempotency = tmp_path / "service" / "idempotency" / "service.py"
    idempotency.write_text(
        idempotency.read_text() + "\nfrom service.avatars import images  # noqa\n"
    )
    refused = _check_contracts(tmp_path)
    assert refused.returncode != 0
    assert "service.idempotency.service -> service.avatars.images" in refused.stdout


def test_a_registered_domain_is_held_apart_without_editing_the_contracts(
    repo_root: Path, tmp_path: Path
) -> None:
    # A newcomer's `teams` domain: a copied package and one registry entry. Importing
    # another domain from it must break the contracts with no contract edited.
    for package in ("service", "scripts"):
        shutil.copytree(
            repo_root / package, tmp_path / package, ignore=shutil.ignore_patterns("static")
        )
    teams = tmp_path / "service" / "teams"
    teams.mkdir()
    (teams / "__init__.py").write_text('"""Teams."""\n')
    (teams / "service.py").write_text('"""Teams."""\nfrom service.users import lookup  # noqa\n')
    registry = tmp_path / "service" / "registry.py"
    registry.write_text(
        registry.read_text().replace(
            '    Domain("service.ratelimit"),\n',
            '    Domain("service.ratelimit"),\n    Domain("service.teams"),\n',
        )
    )
    refused = _check_contracts(tmp_path)
    assert refused.returncode != 0
    assert "service.teams.service -> service.users.lookup" in refused.stdout


def test_every_state_accessor_names_a_member_of_the_lifespan_state(repo_root: Path) -> None:
    # One home for state: what handlers reach through `from_state` is built at start-up.
    members = set(State.__annotations__)
    used = {
        member
        for source in (repo_root / "service").rglob("*.py")
        for member in re.findall(r'from_state\("(\w+)"\)', source.read_text())
    }
    assert len(used) >= 10
    assert used <= members, used - members
