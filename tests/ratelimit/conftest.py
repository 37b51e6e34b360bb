"""An app with rate limiting on, counting in a real Redis, beside the suite's own app."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from scripts.localredis import LocalRedis
from service.core.config import Settings
from service.main import create_app
from tests.secret_scan import SecretLedger

LIMITS = {"auth": 4, "read": 6, "write": 3, "avatar": 2, "inference": 2}
_addresses = itertools.count(1)


@pytest.fixture(scope="session")
async def limited_app(
    settings: Settings, redis_server: LocalRedis, started_app: LifespanManager
) -> AsyncIterator[LifespanManager]:
    """The service with small limits; the ASGI peer (127.0.0.1) is a trusted proxy.

    It shares the suite's database and stays up for the session, so both apps' clients
    stay open however Beanie binds its models.
    """
    limited = settings.model_copy(
        update={
            "rate_limit_enabled": True,
            "rate_limit_storage_url": redis_server.url,
            "rate_limit_auth": f"{LIMITS['auth']}/minute",
            "rate_limit_read": f"{LIMITS['read']}/minute",
            "rate_limit_write": f"{LIMITS['write']}/minute",
            "rate_limit_avatar": f"{LIMITS['avatar']}/minute",
            "rate_limit_inference": f"{LIMITS['inference']}/minute",
            "trusted_proxies": ["127.0.0.1"],
        }
    )
    async with LifespanManager(create_app(limited)) as manager:
        yield manager


@pytest.fixture
def address() -> str:
    """A client address no other test uses, so each test starts with fresh quotas."""
    n = next(_addresses)
    return f"198.51.{n // 250}.{n % 250 + 1}"


@pytest.fixture
async def limited_client(
    limited_app: LifespanManager, ledger: SecretLedger, address: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the limited app, behind the trusted proxy as `address`."""
    transport = httpx.ASGITransport(app=limited_app.app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver",
        headers={"X-Forwarded-For": address},
        event_hooks=ledger.hooks(),
    ) as http:
        yield http
