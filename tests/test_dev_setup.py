"""`make run`'s setup steps: no Redis gives one line and memory://; a ready database is
neither seeded nor trained again."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from pymongo import MongoClient

from scripts.devstart import MODEL_VERSIONS, USERS, missing_steps
from scripts.localdb import LocalServer
from service.startup.documents import DOCUMENT_MODELS
from tests.service_process import REPO_ROOT, SUBPROCESS_CAP_S


def _localredis(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A PATH with no redis-server, no apt-get and no docker: a machine with none of them.
    empty = tmp_path / "bin"
    empty.mkdir()
    return subprocess.run(
        [sys.executable, "scripts/localredis.py", *args, "--data-dir", str(tmp_path / "redis")],
        cwd=REPO_ROOT,
        env={"PATH": str(empty), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_CAP_S,
        check=False,
    )


def test_without_redis_run_falls_back_to_memory_in_one_clear_line(tmp_path: Path) -> None:
    started = _localredis(tmp_path, "start", "--or-memory")
    assert started.returncode == 0, started.stderr
    assert started.stdout == "memory://\n"
    lines = started.stderr.splitlines()
    assert len(lines) == 1, started.stderr
    assert "each worker process keeps its own quota" in lines[0]
    assert "Traceback" not in started.stderr


def test_without_redis_the_tests_stop_with_one_clear_line(tmp_path: Path) -> None:
    ensured = _localredis(tmp_path, "ensure")
    assert ensured.returncode == 1
    lines = ensured.stderr.splitlines()
    assert len(lines) == 1, ensured.stderr
    assert "the rate-limit tests need Redis" in lines[0]
    assert "apt-get install redis-server" in lines[0]


def test_a_seeded_and_trained_database_skips_both_steps(mongo_server: LocalServer) -> None:
    # The names devstart reads are the service's own collections.
    collections = {model.Settings.name for model in DOCUMENT_MODELS}
    assert {USERS, MODEL_VERSIONS} <= collections
    database = f"devstart_{uuid.uuid4().hex[:8]}"
    with MongoClient(mongo_server.url) as client:
        try:
            assert missing_steps(mongo_server.url, database) == ["seed", "train"]
            client[database][USERS].insert_one({"username": "someone"})
            assert missing_steps(mongo_server.url, database) == ["train"]
            client[database][MODEL_VERSIONS].insert_one({"name": "iris", "version": 1})
            assert missing_steps(mongo_server.url, database) == []
        finally:
            client.drop_database(database)
