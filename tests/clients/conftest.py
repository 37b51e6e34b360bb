"""A real service process for the generated clients: `python -m service serve` on a free
port, on the session's FerretDB, with its own database (dropped afterwards)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from pymongo import AsyncMongoClient

from scripts.localdb import LocalServer
from tests.service_process import running_service


@pytest.fixture(scope="module")
async def live_service(
    mongo_server: LocalServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """The base URL of a running service (rate limits off: the suites send bursts)."""
    database = f"clients_{uuid.uuid4().hex[:12]}"
    log_path = tmp_path_factory.mktemp("live-service") / "service.log"
    with running_service(mongo_server.url, database, log_path) as base_url:
        yield base_url
    mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_server.url)
    await mongo.drop_database(database)
    await mongo.close()
