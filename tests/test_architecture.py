"""Structural rules the design relies on: pure-ASGI middleware, and the import contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware


def test_no_base_http_middleware_anywhere(app: FastAPI, repo_root: Path) -> None:
    # BaseHTTPMiddleware runs the app in another task (losing contextvars) and costs a task
    # switch per request; every middleware here must be pure ASGI.
    for middleware in app.user_middleware:
        assert isinstance(middleware.cls, type)
        assert not issubclass(middleware.cls, BaseHTTPMiddleware), middleware.cls
    for source in (repo_root / "service").rglob("*.py"):
        assert "starlette.middleware.base" not in source.read_text(), source


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    lint_imports = Path(sys.executable).parent / "lint-imports"  # the suite's own venv
    return subprocess.run(
        [str(lint_imports), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": str(lint_imports.parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_import_contracts_hold_and_catch_a_new_crossing(
    repo_root: Path, tmp_path: Path
) -> None:
    assert _lint_imports(repo_root).returncode == 0
    # A copy of the tree with one new cross-domain import: the contracts must refuse it.
    shutil.copytree(
        repo_root / "service", tmp_path / "service", ignore=shutil.ignore_patterns("static")
    )
    shutil.copy(repo_root / "pyproject.toml", tmp_path / "pyproject.toml")
    idempotency = tmp_path / "service" / "idempotency" / "service.py"
    idempotency.write_text(
        idempotency.read_text() + "\nfrom service.avatars import images  # noqa\n"
    )
    refused = _lint_imports(tmp_path)
    assert refused.returncode != 0
    assert "service.idempotency.service -> service.avatars.images" in refused.stdout
