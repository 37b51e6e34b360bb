"""The published contract: named operations, the committed document, the breaking-change gate."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter

from service.api.operation_ids import OPERATION_IDS, MissingOperationId
from service.core.config import Settings
from service.main import create_app

REGENERATE = "make clients"  # regenerates openapi.json and both clients
# Verbs by method; an id without one is a POST whose path names the action (`auth-token`).
VERBS = {
    "GET": ("list", "get"),
    "POST": ("create", ""),
    "PUT": ("replace", "upload", "change"),
    "PATCH": ("update",),
    "DELETE": ("delete",),
}


async def _served(client: httpx.AsyncClient) -> dict[str, Any]:
    document: dict[str, Any] = (await client.get("/openapi.json")).json()
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


async def test_the_served_document_is_the_committed_contract(
    client: httpx.AsyncClient, repo_root: Path
) -> None:
    committed = json.loads((repo_root / "openapi.json").read_text())
    served = await _served(client)
    assert served == committed, (
        f"openapi.json differs from what the service serves: run `{REGENERATE}` and commit "
        "openapi.json and clients/ (a breaking change also needs a version bump, "
        "see docs/clients.md)"
    )


def _nouns(path: str) -> str:
    """The path's literal segments as the id's prefix: `/.well-known/jwks.json` ->
    `well-known-jwks`; parameters are left out."""
    literal = [s for s in path.strip("/").split("/") if s and not s.startswith("{")]
    words = [re.sub(r"\.json$", "", s).strip(".").replace(".", "-") for s in literal]
    return "-".join(words) or "index"


async def test_every_operation_is_named_tagged_summarised_and_declares_its_errors(
    client: httpx.AsyncClient,
) -> None:
    operations = _operations(await _served(client))
    ids = [operation["operationId"] for _, _, operation in operations]
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    for method, path, operation in operations:
        where = f"{method} {path}"
        operation_id = operation["operationId"]
        assert operation_id == OPERATION_IDS[(method, path)], where
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", operation_id), where
        verb = operation_id.removeprefix(_nouns(path)).removeprefix("-")
        assert operation_id.startswith(_nouns(path)), f"{where}: {operation_id}"
        assert verb in VERBS[method], f"{where}: {operation_id!r} ends in {verb!r}"
        assert operation["tags"], where
        assert operation["summary"].strip(), where
        errors = [status for status in operation["responses"] if status[0] in "45"]
        assert errors, f"{where} declares no error response"
        for status in errors:
            content = operation["responses"][status].get("content", {})
            if status != "503" or "application/json" not in content:  # health reports
                assert "application/problem+json" in content, f"{where} {status}"


async def test_the_router_set_id_of_the_alias_yields_to_the_table(
    client: httpx.AsyncClient,
) -> None:
    document = await _served(client)
    assert document["paths"]["/user"]["post"]["operationId"] == "user-create"
    assert document["paths"]["/users"]["post"]["operationId"] == "users-create"


async def test_rate_limited_operations_declare_429_and_probes_do_not(
    client: httpx.AsyncClient,
) -> None:
    paths = (await _served(client))["paths"]
    assert "Retry-After" in paths["/users"]["get"]["responses"]["429"]["headers"]
    assert "429" in paths["/users/{user_id}/avatar"]["put"]["responses"]
    assert "429" not in paths["/health/live"]["get"]["responses"]
    assert "503" in paths["/health/live"]["get"]["responses"]


def test_a_route_without_an_operation_id_stops_the_app_build(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    teams = APIRouter()

    @teams.get("/teams", summary="List teams")
    async def list_teams() -> list[str]:
        return []

    from service import main

    registered = main.ROUTERS
    monkeypatch.setattr(main, "ROUTERS", (*registered, teams))
    with pytest.raises(MissingOperationId, match=r"GET /teams has no operationId"):
        create_app(settings)
    # Named in the table, the same app builds and serves it under that id.
    monkeypatch.setitem(OPERATION_IDS, ("GET", "/teams"), "teams-list")
    app = create_app(settings)
    assert app.openapi()["paths"]["/teams"]["get"]["operationId"] == "teams-list"


# The breaking-change gate: oasdiff (installed by `make tools`) and the id check.


def _gate(base: Path, revision: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    files = ("--base", str(base), "--revision", str(revision))
    return subprocess.run(
        [sys.executable, "-m", "scripts.contract", "breaking", *files],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def released(repo_root: Path) -> dict[str, Any]:
    """The last released contract (contract/released.json)."""
    document: dict[str, Any] = json.loads((repo_root / "contract" / "released.json").read_text())
    return document


def _write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_the_current_contract_breaks_no_client_of_the_last_release(repo_root: Path) -> None:
    result = _gate(repo_root / "contract" / "released.json", repo_root / "openapi.json", repo_root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_removed_operation_is_refused_until_the_version_announces_it(
    repo_root: Path, tmp_path: Path, released: dict[str, Any]
) -> None:
    base = _write(tmp_path, "released.json", released)
    broken = json.loads(json.dumps(released))
    del broken["paths"]["/users/{user_id}"]["delete"]
    refused = _gate(base, _write(tmp_path, "broken.json", broken), repo_root)
    assert refused.returncode == 1, refused.stdout
    assert "DELETE /users/{user_id}" in refused.stdout
    assert "bump __version__" in refused.stdout
    # A patch release does not announce a break; the next minor (0.x) or major does.
    broken["info"]["version"] = _bump(released["info"]["version"], patch=True)
    assert _gate(base, _write(tmp_path, "patch.json", broken), repo_root).returncode == 1
    broken["info"]["version"] = _bump(released["info"]["version"])
    accepted = _gate(base, _write(tmp_path, "bumped.json", broken), repo_root)
    assert accepted.returncode == 0, accepted.stdout


def test_a_new_required_field_is_refused(
    repo_root: Path, tmp_path: Path, released: dict[str, Any]
) -> None:
    base = _write(tmp_path, "released.json", released)
    broken = json.loads(json.dumps(released))
    update = broken["components"]["schemas"]["UserUpdate"]
    update["required"] = [*update.get("required", []), "name"]
    refused = _gate(base, _write(tmp_path, "broken.json", broken), repo_root)
    assert refused.returncode == 1, refused.stdout


def test_a_renamed_operation_id_is_a_break_for_generated_clients(
    repo_root: Path, tmp_path: Path, released: dict[str, Any]
) -> None:
    base = _write(tmp_path, "released.json", released)
    renamed = json.loads(json.dumps(released))
    renamed["paths"]["/users"]["get"]["operationId"] = "users-search"
    refused = _gate(base, _write(tmp_path, "renamed.json", renamed), repo_root)
    assert refused.returncode == 1, refused.stdout
    assert "'users-list' -> 'users-search'" in refused.stdout
    renamed["info"]["version"] = _bump(released["info"]["version"])
    assert _gate(base, _write(tmp_path, "bumped.json", renamed), repo_root).returncode == 0


def _bump(version: str, *, patch: bool = False) -> str:
    """The next patch release, or the next release allowed to break (semver)."""
    major, minor, micro = (int(part) for part in version.split(".")[:3])
    if patch:
        return f"{major}.{minor}.{micro + 1}"
    return f"0.{minor + 1}.0" if major == 0 else f"{major + 1}.0.0"
