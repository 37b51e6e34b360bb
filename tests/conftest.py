"""Shared fixtures: a real MongoDB wire server, the app in its lifespan, an HTTP client."""

from __future__ import annotations

import io
import os
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from scripts.localdb import LocalServer, start_server
from scripts.localredis import LocalRedis, LocalRedisError, start_redis
from service.auth.key_store import add_key
from service.core.config import Settings
from service.core.database import create_client
from service.core.setting_types import Environment
from service.main import create_app
from service.observability.logging import configure_logging
from service.startup.documents import init_models
from tests import fuzz_stats
from tests.browser import browser, browser_context  # noqa: F401  (fixtures)
from tests.command_recorder import RECORDER, CommandRecorder
from tests.factories import make_admin
from tests.s3_server import BUCKET, TEST_CREDENTIALS, S3Server, create_bucket, running_s3
from tests.secret_scan import SecretLedger, Tee
from tests.service_process import running_service
from tests.smtp_server import Mailbox, start_smtp

TEST_JWT_SECRET = "test-secret-" + "x" * 40
# What production requires to seal TOTP secrets: base64 of 32 bytes (test-only).
TEST_SECOND_FACTOR_KEY = "dGVzdC1vbmx5LXNlY29uZC1mYWN0b3Ita2V5LTMyYnk="
# The shared server process reads heads and requests under short deadlines, so the
# tests of those deadlines need no process of their own.
SERVED_HEAD_TIMEOUT_S = 1.0
SERVED_REQUEST_TIMEOUT_S = 1.5
TESTS_DIR = Path(__file__).resolve().parent
# Directories whose conftest starts one service for all their modules.
WHOLE_DIRECTORIES = frozenset({"production", "clients"})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many cases the schemathesis run sent, when it ran."""
    line = fuzz_stats.summary()
    if line:
        terminalreporter.write_line(line)


def pytest_configure(config: pytest.Config) -> None:
    """Name the marker pytest-xdist schedules by, so a run without xdist knows it too."""
    config.addinivalue_line("markers", "xdist_group(name): tests one xdist worker runs")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep each module on one xdist worker (`make test` runs two, `--dist loadgroup`), so
    a module's fixtures start once; a directory whose conftest starts a service of its own
    (the production lane, the clients' live service) stays whole on one worker too."""
    for item in items:
        relative = item.path.relative_to(TESTS_DIR)
        whole = relative.parts[0] in WHOLE_DIRECTORIES
        group = relative.parts[0] if whole else relative.as_posix()
        item.add_marker(pytest.mark.xdist_group(group))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On an xdist worker: hand the schemathesis counts to the controller's summary."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["fuzz_counts"] = dict(fuzz_stats.COUNTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """On the xdist controller: add up what each worker's schemathesis run counted."""
    fuzz_stats.COUNTS.update(getattr(node, "workeroutput", {}).get("fuzz_counts", {}))


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """`MONGODB_URL` when set, else a local mongod/FerretDB started for this session."""
    server = start_server(tmp_path_factory.mktemp("mongo"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """moto's S3 server on loopback, with the avatar bucket, for the whole session."""
    os.environ.update({k: v for k, v in TEST_CREDENTIALS.items() if k not in os.environ})
    with running_s3(tmp_path_factory.mktemp("s3") / "moto.log") as server:
        create_bucket(server, BUCKET)
        yield server


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[str, int, Mailbox]]:
    """A real SMTP server (aiosmtpd) on loopback for the whole session."""
    controller, mailbox = start_smtp()
    yield controller.hostname, controller.port, mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: tuple[str, int, Mailbox]) -> Mailbox:
    """The messages the service mailed during this test."""
    box = smtp_server[2]
    box.clear()
    return box


@pytest.fixture(scope="session")
def settings(
    mongo_server: LocalServer,
    smtp_server: tuple[str, int, Mailbox],
    tmp_path_factory: pytest.TempPathFactory,
) -> Settings:
    """Settings for the suite: its own database and signing key, cheap Argon2."""
    keys_dir = tmp_path_factory.mktemp("jwt-keys")
    add_key(keys_dir, "ES256", activate=True)
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
        jwt_keys_dir=str(keys_dir),
        # The suite sends many requests from one address; tests/ratelimit/ turn it on.
        rate_limit_enabled=False,
        # Deadlines and slot waits sized for a loaded machine, where a database round trip
        # or a queue for the hashing slots can take seconds. The tests of those bounds set
        # short ones of their own; everywhere else the answer, not the clock, decides.
        mongodb_timeout_ms=10_000,
        hash_max_wait_s=60,
        decode_max_wait_s=60,
        inference_max_wait_s=60,
        smtp_host=smtp_server[0],
        smtp_port=smtp_server[1],
        smtp_starttls=False,
        # No test reaches the Internet: tests/passwords/ serve the range API on loopback.
        hibp_enabled=False,
    )


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRedis]:
    """A Redis server (`redis-server` on a free loopback port) for this session."""
    try:
        server = start_redis(tmp_path_factory.mktemp("redis"), use_env=False)
    except LocalRedisError as exc:  # one clear line, not one error per rate-limit test
        pytest.exit(f"localredis: {exc}", returncode=1)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    """The FastAPI application under test."""
    return create_app(settings)


@pytest.fixture(scope="session")
def ledger(settings: Settings) -> Iterator[SecretLedger]:
    """Everything the suite saw; at the end, no password, hash or token may have leaked."""
    record = SecretLedger()
    configure_logging(settings.log_level, settings.log_format, stream=Tee(sys.stdout, record.log))
    yield record
    leaks = record.leaks()
    assert not leaks, "secrets leaked:\n" + "\n".join(leaks[:20])


@pytest.fixture(scope="session")
async def started_app(
    app: FastAPI, settings: Settings, ledger: SecretLedger
) -> AsyncIterator[LifespanManager]:
    """The app, started through its real lifespan; the test database is dropped after."""
    async with LifespanManager(app) as manager:
        yield manager
    for rebinding in REBINDING_CLIENTS:
        await rebinding.close()
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(settings.mongodb_url)
    await client.drop_database(settings.mongodb_db)
    await client.close()


def _client(manager: LifespanManager, ledger: SecretLedger) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=manager.app)
    return httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=ledger.hooks()
    )


@pytest.fixture
async def client(
    started_app: LifespanManager, ledger: SecretLedger
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client that talks to the app in-process over ASGI, with lifespan state."""
    async with _client(started_app, ledger) as http:
        yield http


@pytest.fixture(scope="session")
async def test_db(settings: Settings) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    """Direct access to the suite's database, to check what was really stored."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url, tz_aware=True)
    yield client[settings.mongodb_db]
    await client.close()


@pytest.fixture
async def admin_client(
    started_app: LifespanManager, ledger: SecretLedger
) -> AsyncIterator[httpx.AsyncClient]:
    """A client logged in as a freshly created admin."""
    async with _client(started_app, ledger) as http:
        await make_admin(http)
        yield http


@pytest.fixture(autouse=True)
async def clean_collections(
    started_app: LifespanManager, test_db: AsyncDatabase[dict[str, Any]], ledger: SecretLedger
) -> AsyncIterator[None]:
    """Every test starts with empty collections (indexes stay); stored hashes are noted."""
    yield
    async for user in test_db["users"].find({}, {"password_hash": 1}):
        ledger.hashes.add(user["password_hash"])
    async for token in test_db["refresh_tokens"].find({}, {"token_hash": 1}):
        ledger.hashes.add(token["token_hash"])
    for name in await test_db.list_collection_names():
        await test_db[name].delete_many({})


AppFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def app_with(settings: Settings, started_app: LifespanManager, ledger: SecretLedger) -> AppFactory:
    """Start a second app with some settings changed, on a database of its own.

    Beanie binds document classes process-wide, so starting another app re-binds them to
    its database; on the way out they are bound back to the suite's database (through a
    client of their own, as the other app's client is closed by then).
    """

    @asynccontextmanager
    async def start(**changes: Any) -> AsyncIterator[httpx.AsyncClient]:
        database = f"test_other_{uuid.uuid4().hex[:8]}"
        other = create_app(settings.model_copy(update={"mongodb_db": database, **changes}))
        mongo = create_client(settings)  # configured as the app's own client is
        try:
            async with LifespanManager(other) as manager, _client(manager, ledger) as http:
                yield http
        finally:
            await mongo.drop_database(database)
            await init_models(mongo[settings.mongodb_db])
            REBINDING_CLIENTS.append(mongo)  # in use by the models until the session ends

    return start


REBINDING_CLIENTS: list[AsyncMongoClient[dict[str, Any]]] = []


@pytest.fixture
def log_output(settings: Settings, ledger: SecretLedger) -> Iterator[io.StringIO]:
    """Everything the service logs during the test, one JSON object per line."""
    buffer = io.StringIO()
    configure_logging(settings.log_level, settings.log_format, stream=Tee(buffer, ledger.log))
    yield buffer
    configure_logging(settings.log_level, settings.log_format, stream=Tee(sys.stdout, ledger.log))


@pytest.fixture
def commands() -> CommandRecorder:
    """The recorder of every command PyMongo sends (switch it on with `.recording()`)."""
    return RECORDER


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top directory."""
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def served(
    mongo_server: LocalServer, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One `python -m service serve` process on the suite's database, shared by the tests
    that need a real HTTP server and no settings of their own; its base URL."""
    with running_service(
        mongo_server.url,
        settings.mongodb_db,
        tmp_path_factory.mktemp("served") / "service.log",
        extra_env={
            "SERVER_HEADER_TIMEOUT_S": str(SERVED_HEAD_TIMEOUT_S),
            "REQUEST_TIMEOUT_S": str(SERVED_REQUEST_TIMEOUT_S),
        },
    ) as base_url:
        yield base_url
