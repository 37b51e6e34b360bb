"""`python -m service train`: a working iris model out of the box, registered once."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

from pymongo import AsyncMongoClient

from service.core.config import Settings
from tests.service_process import REPO_ROOT, SUBPROCESS_CAP_S


def _train(settings: Settings, database: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MONGODB_URL": settings.mongodb_url, "MONGODB_DB": database}
    return subprocess.run(
        [sys.executable, "-m", "service", "train"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=SUBPROCESS_CAP_S,
    )


async def test_train_registers_iris_once_and_reports_accuracy(settings: Settings) -> None:
    database = f"test_train_{uuid.uuid4().hex[:8]}"
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(settings.mongodb_url)
    try:
        first = _train(settings, database)
        assert first.returncode == 0, first.stderr
        assert "registered as model 'iris' version 1" in first.stdout
        accuracy = float(first.stdout.split("accuracy ")[1].split(";")[0])
        assert accuracy >= 0.9
        again = _train(settings, database)
        assert again.returncode == 0, again.stderr
        assert "already stored as model 'iris' version 1" in again.stdout
        stored = client[database]
        assert await stored["model_versions"].count_documents({"name": "iris"}) == 1
        assert await stored["onnx_models.files"].count_documents({}) == 1
    finally:
        await client.drop_database(database)
        await client.close()
