"""Counting and holding password hashes, and a worker whose one hashing slot is busy: the
harness of the registration tests. `hashes` and `held_hash` wrap `PasswordHasher.hash`
(the class every app's hasher is), which still hashes for real under the app's gate."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from service.auth.security import PasswordHasher
from service.core.admission import AdmissionGate
from service.core.config import Settings
from service.main import create_app
from service.observability.logging import configure_logging
from service.startup.documents import init_models
from tests.secret_scan import SecretLedger, Tee


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts every password hash any app in this process computes (one entry each)."""
    calls: list[str] = []
    original = PasswordHasher.hash

    async def counted(self: PasswordHasher, password: str) -> str:
        calls.append("hash")
        return await original(self, password)

    monkeypatch.setattr(PasswordHasher, "hash", counted)
    return calls


@pytest.fixture
def held_hash(monkeypatch: pytest.MonkeyPatch) -> tuple[asyncio.Event, asyncio.Event]:
    """Every hash waits until the second event is set; the first says one has started."""
    started, release = asyncio.Event(), asyncio.Event()
    original = PasswordHasher.hash

    async def held(self: PasswordHasher, password: str) -> str:
        started.set()
        await release.wait()
        return await original(self, password)

    monkeypatch.setattr(PasswordHasher, "hash", held)
    return started, release


@contextlib.asynccontextmanager
async def busy_worker(
    settings: Settings, suite: LifespanManager, ledger: SecretLedger
) -> AsyncIterator[tuple[httpx.AsyncClient, AdmissionGate]]:
    """An app on the suite's database with one hashing slot and a 50 ms wait for it, as a
    loaded worker has (a long queue for the slot); and that app's hashing gate."""
    app = create_app(settings.model_copy(update={"hash_concurrency": 1, "hash_max_wait_s": 0.05}))
    configure_logging(settings.log_level, settings.log_format, stream=Tee(sys.stdout, ledger.log))
    try:
        async with LifespanManager(app) as manager:
            gate = manager._state["app"].hasher.gate
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", event_hooks=ledger.hooks()
            ) as client:
                yield client, gate
    finally:
        await init_models(suite._state["app"].db.database)


@contextlib.asynccontextmanager
async def slot_taken(gate: AdmissionGate) -> AsyncIterator[None]:
    """Hold the gate's one slot until the block ends (entered: a barrier, not a sleep)."""
    entered, leave = threading.Event(), threading.Event()

    def occupy() -> None:
        entered.set()
        leave.wait()

    holder = asyncio.create_task(gate.run_sync(occupy))
    await asyncio.to_thread(entered.wait)
    try:
        yield
    finally:
        leave.set()
        await holder
