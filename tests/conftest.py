"""Shared fixtures: a real MongoDB wire server, the app in its lifespan, an HTTP client."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from scripts.localdb import LocalServer, start_server
from service.config import Environment, Settings
from service.logging import configure_logging
from service.main import create_app
from tests.factories import make_admin

TEST_JWT_SECRET = "test-secret-" + "x" * 40


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """`MONGODB_URL` when set, else a local mongod/FerretDB started for this session."""
    server = start_server(tmp_path_factory.mktemp("mongo"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def settings(mongo_server: LocalServer) -> Settings:
    """Settings for the suite: its own database, cheap Argon2 so tests stay quick."""
    return Settings(
        environment=Environment.TEST,
        mongodb_url=mongo_server.url,
        mongodb_db=f"test_{uuid.uuid4().hex[:12]}",
        argon2_time_cost=1,
        argon2_memory_cost_kib=8192,
        argon2_parallelism=1,
        log_level="INFO",
        log_format="json",
        jwt_secret=TEST_JWT_SECRET,
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    """The FastAPI application under test."""
    return create_app(settings)


@pytest.fixture(scope="session")
async def started_app(app: FastAPI, settings: Settings) -> AsyncIterator[LifespanManager]:
    """The app, started through its real lifespan; the test database is dropped after."""
    async with LifespanManager(app) as manager:
        yield manager
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(settings.mongodb_url)
    await client.drop_database(settings.mongodb_db)
    await client.close()


@pytest.fixture
async def client(started_app: LifespanManager) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client that talks to the app in-process over ASGI, with lifespan state."""
    transport = httpx.ASGITransport(app=started_app.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture(scope="session")
async def test_db(settings: Settings) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    """Direct access to the suite's database, to check what was really stored."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url, tz_aware=True)
    yield client[settings.mongodb_db]
    await client.close()


@pytest.fixture
async def admin_client(started_app: LifespanManager) -> AsyncIterator[httpx.AsyncClient]:
    """A client logged in as a freshly created admin."""
    transport = httpx.ASGITransport(app=started_app.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        await make_admin(http)
        yield http


@pytest.fixture(autouse=True)
async def clean_collections(
    started_app: LifespanManager, test_db: AsyncDatabase[dict[str, Any]]
) -> AsyncIterator[None]:
    """Every test starts with empty collections (indexes stay)."""
    yield
    for name in await test_db.list_collection_names():
        await test_db[name].delete_many({})


@pytest.fixture
def log_output(settings: Settings) -> Iterator[io.StringIO]:
    """Everything the service logs during the test, one JSON object per line."""
    buffer = io.StringIO()
    configure_logging(settings.log_level, settings.log_format, stream=buffer)
    yield buffer
    configure_logging(settings.log_level, settings.log_format)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top directory."""
    return Path(__file__).resolve().parent.parent
