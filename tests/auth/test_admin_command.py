"""`python -m service create-admin`, and registration closed to all but admins."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from scripts.localdb import LocalServer, free_port
from tests.service_process import REPO_ROOT, SUBPROCESS_CAP_S, running_service


def _run_create_admin(
    username: str, env: dict[str, str], *, check: bool
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "service",
            "create-admin",
            "--username",
            username,
            "--email",
            f"{username}@example.com",
        ],
        cwd=REPO_ROOT,
        # No test reaches the Internet: the breach check is off.
        env={**os.environ, "HIBP_ENABLED": "false", **env},
        capture_output=True,
        text=True,
        check=check,
        timeout=SUBPROCESS_CAP_S,
    )


def _create_admin(url: str, database: str, username: str, password: str) -> str:
    env = {
        "MONGODB_URL": url,
        "MONGODB_DB": database,
        "ADMIN_PASSWORD": password,
        "LOG_LEVEL": "WARNING",
    }
    result = _run_create_admin(username, env, check=True)
    assert password not in result.stdout + result.stderr
    return result.stdout


def test_create_admin_then_promote_and_closed_registration(
    mongo_server: LocalServer, tmp_path: Path
) -> None:
    database = f"admin_cmd_{uuid.uuid4().hex[:8]}"
    assert "created admin root" in _create_admin(
        mongo_server.url, database, "root", "Granite-Osprey-Lattice-1"
    )
    with (
        running_service(
            mongo_server.url,
            database,
            tmp_path / "service.log",
            extra_env={"REGISTRATION_OPEN": "false"},
        ) as base_url,
        httpx.Client(base_url=base_url, timeout=60) as http,
    ):
        anonymous = http.post(
            "/users",
            json={
                "username": "walkin",
                "email": "w@example.com",
                "password": "Walnut-Cobalt-Ferry-22",
            },
        )
        assert anonymous.status_code == 403
        assert "closed" in anonymous.json()["detail"]
        tokens = http.post(
            "/auth/token", data={"username": "root", "password": "Granite-Osprey-Lattice-1"}
        )
        assert tokens.status_code == 200
        auth = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
        created = http.post(
            "/users",
            headers=auth,
            json={
                "username": "invited",
                "email": "i@example.com",
                "password": "Harbor-Mint-Sable-903",
            },
        )
        assert created.status_code == 201
        assert created.json()["role"] == "user"

        # Promotion keeps the user's password and makes them an admin.
        assert "promoted admin invited" in _create_admin(
            mongo_server.url, database, "invited", "ignored-on-promotion"
        )
        login = http.post(
            "/auth/token", data={"username": "invited", "password": "Harbor-Mint-Sable-903"}
        )
        me = http.get(
            "/users/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
        )
        assert me.json()["role"] == "admin"


def test_create_admin_rejects_a_weak_password(mongo_server: LocalServer) -> None:
    env = {"MONGODB_URL": mongo_server.url, "ADMIN_PASSWORD": "short"}
    result = _run_create_admin("weak", env, check=False)
    assert result.returncode == 2
    assert "password" in result.stderr
    assert "Traceback" not in result.stderr


def test_create_admin_holds_a_new_admin_to_the_password_policy(mongo_server: LocalServer) -> None:
    env = {"MONGODB_URL": mongo_server.url, "MONGODB_DB": f"admin_policy_{uuid.uuid4().hex[:8]}"}
    for password, reason in (("password1234", "too easy"), ("Chief-Opsadmin-77", "username")):
        result = _run_create_admin("opsadmin", {**env, "ADMIN_PASSWORD": password}, check=False)
        assert result.returncode == 1, result.stderr
        assert reason in result.stderr
        assert password not in result.stderr + result.stdout
        assert "Traceback" not in result.stderr


def test_create_admin_without_a_database_says_so_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "service", "create-admin", "--username", "ops", "--email", "o@x.io"],
        cwd=REPO_ROOT,
        env={
            **os.environ,
            "MONGODB_URL": f"mongodb://nobody:hunter2@127.0.0.1:{free_port()}",
            "MONGODB_TIMEOUT_MS": "300",
            "ADMIN_PASSWORD": "a-long-ops-password",
        },
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_CAP_S,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "cannot reach MongoDB" in lines[0]
    assert "hunter2" not in result.stderr
