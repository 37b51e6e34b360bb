"""Structural rules the design relies on: pure-ASGI middleware, the import contracts, one
api module per path, typed state, small modules."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.middleware.base import BaseHTTPMiddleware

from service.startup.state import State
from tests.service_process import SUBPROCESS_CAP_S


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
        timeout=SUBPROCESS_CAP_S,
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


def _copy_tree(repo_root: Path, into: Path) -> None:
    for package in ("service", "scripts"):
        shutil.copytree(
            repo_root / package, into / package, ignore=shutil.ignore_patterns("static")
        )


def test_a_new_domain_is_held_apart_without_editing_the_contracts(
    repo_root: Path, tmp_path: Path
) -> None:
    # A newcomer's `teams` domain: a new package and nothing else. Importing another domain
    # from it must break the contracts with no contract edited.
    _copy_tree(repo_root, tmp_path)
    teams = tmp_path / "service" / "teams"
    teams.mkdir()
    (teams / "__init__.py").write_text('"""Teams."""\n')
    (teams / "service.py").write_text(
        '"""Teams."""\nfrom service.users import repository  # noqa\n'
    )
    refused = _check_contracts(tmp_path)
    assert refused.returncode != 0
    assert "service.teams.service -> service.users.repository" in refused.stdout


def test_users_importing_avatars_is_refused(repo_root: Path, tmp_path: Path) -> None:
    _copy_tree(repo_root, tmp_path)
    users = tmp_path / "service" / "users" / "service.py"
    users.write_text(users.read_text() + "\nfrom service.avatars import storage  # noqa\n")
    refused = _check_contracts(tmp_path)
    assert refused.returncode != 0
    assert "service.users.service -> service.avatars.storage" in refused.stdout


def test_fastapi_in_a_domain_service_is_refused(repo_root: Path, tmp_path: Path) -> None:
    # Directly, and through a module below that imports it: no `allow_indirect_imports`.
    _copy_tree(repo_root, tmp_path)
    users = tmp_path / "service" / "users" / "service.py"
    users.write_text(users.read_text() + "\nimport fastapi  # noqa\n")
    refused = _check_contracts(tmp_path)
    assert refused.returncode != 0
    assert "service.users is not allowed to import fastapi" in refused.stdout

    _copy_tree(repo_root, tmp_path / "indirect")
    clock = tmp_path / "indirect" / "service" / "core" / "clock.py"
    clock.write_text(clock.read_text() + "\nimport starlette.responses  # noqa\n")
    refused = _check_contracts(tmp_path / "indirect")
    assert refused.returncode != 0
    assert "service.core.clock -> starlette" in refused.stdout


def test_a_module_outside_every_package_is_refused(repo_root: Path, tmp_path: Path) -> None:
    _copy_tree(repo_root, tmp_path)
    (tmp_path / "service" / "helpers.py").write_text('"""Loose."""\n')
    refused = _check_contracts(tmp_path)
    assert refused.returncode != 0
    assert "service.helpers" in refused.stdout


def test_every_state_member_is_read_by_the_api_dependencies(repo_root: Path) -> None:
    # One home for state: everything built at start-up is in `State`, and handlers reach
    # each member through a typed dependency of `service/api/deps.py`.
    members = {field.name for field in dataclasses.fields(State)}
    deps = (repo_root / "service" / "api" / "deps.py").read_text()
    read = set(re.findall(r"app_state\(request\)\.(\w+)", deps))
    assert len(members) >= 10
    assert read <= members, read - members
    # `tokens` and `users` are read together by `current_user`.
    assert members - read <= {"tokens", "users"}, members - read


def test_each_path_is_served_from_one_api_module(app: FastAPI) -> None:
    # Every OpenAPI path's operations come from exactly one module of `service/api/`.
    documented = app.openapi()["paths"]
    modules: dict[str, set[str]] = {}
    for route in iter_route_contexts(app.routes):
        # The document names a path by its format: `{id}`, not `{id:objectid}`.
        path = getattr(route, "path_format", route.path)
        if path in documented and route.endpoint is not None:
            modules.setdefault(path, set()).add(route.endpoint.__module__)
    assert set(modules) == set(documented)
    assert "/users/{user_id}" in modules
    for path, found in modules.items():
        assert len(found) == 1, (path, found)
        (module,) = found
        # `/metrics` is the Prometheus instrumentator's own handler (observability).
        expected = "prometheus_fastapi_instrumentator." if path == "/metrics" else "service.api."
        assert module.startswith(expected), (path, module)


def test_small_modules_and_a_short_top_level(repo_root: Path) -> None:
    service = repo_root / "service"
    long = {
        str(source.relative_to(repo_root)): lines
        for source in service.rglob("*.py")
        if (lines := len(source.read_text().splitlines())) > 250
    }
    assert long == {}
    assert len(list(service.glob("*.py"))) <= 6
