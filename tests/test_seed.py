"""Seed data: realistic, loadable, and idempotent."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import anyio
import httpx
from pwdlib import PasswordHash
from pymongo.asynchronous.database import AsyncDatabase

from service.cli.seed import read_seed_users, seed_users
from service.core.config import Settings
from service.users.schemas import UserCreate
from tests.factories import bearer, create_user, login
from tests.service_process import REPO_ROOT


def test_seed_file_holds_valid_realistic_users() -> None:
    users = read_seed_users()
    assert len(users) >= 25
    assert [u["username"] for u in users if u["role"] == "admin"] == ["admin"]
    assert len({u["username"] for u in users}) == len(users)
    assert len({u["email"] for u in users}) == len(users)
    for user in users:
        UserCreate(
            username=user["username"], email=user["email"], name=user["name"], password="x" * 8
        )
        assert user["name_lower"] == user["name"].lower()
        assert user["password_hash"].startswith("$argon2id$")
    admin = next(u for u in users if u["role"] == "admin")
    assert PasswordHash.recommended().verify("dev-kestrel-harbor-lantern", admin["password_hash"])


async def test_seeding_twice_inserts_once(
    settings: Settings, test_db: AsyncDatabase[dict[str, Any]], client: httpx.AsyncClient
) -> None:
    expected = len(read_seed_users())
    assert await seed_users(settings) == expected
    assert await seed_users(settings) == 0
    assert await test_db["users"].count_documents({}) == expected
    # The seeded admin can log in with the password the README states.
    tokens = await login(client, "admin", "dev-kestrel-harbor-lantern")
    me = await client.get("/users/me", headers=bearer(tokens))
    assert me.json()["role"] == "admin"


def test_seed_command_line(settings: Settings) -> None:
    env = {**os.environ, "MONGODB_URL": settings.mongodb_url, "MONGODB_DB": settings.mongodb_db}
    for expected in (len(read_seed_users()), 0):
        result = subprocess.run(
            [sys.executable, "-m", "service", "seed"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert f"seeded {expected} new user(s)" in result.stdout


async def test_seeding_skips_users_whose_names_are_taken_and_says_which(
    settings: Settings, test_db: AsyncDatabase[dict[str, Any]], client: httpx.AsyncClient
) -> None:
    # Someone registered `admin` (and a look-alike of `alovelace`) before the first seeding.
    await create_user(client, username="admin")
    await create_user(client, username="a.lovelace")
    env = {**os.environ, "MONGODB_URL": settings.mongodb_url, "MONGODB_DB": settings.mongodb_db}
    result = await anyio.run_process(
        [sys.executable, "-m", "service", "seed"], cwd=REPO_ROOT, env=env, check=False
    )
    stdout = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    expected = len(read_seed_users()) - 2
    assert f"seeded {expected} new user(s)" in stdout
    assert "skipped 2 seed user(s) whose username or email is taken: admin, alovelace" in stdout
    # The registered users keep their names; nobody was inserted twice.
    assert await test_db["users"].count_documents({"username": "admin"}) == 1
    assert await test_db["users"].count_documents({}) == expected + 2
    assert await seed_users(settings) == 0
