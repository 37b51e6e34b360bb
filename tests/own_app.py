"""A second app in the test process, on a database of its own, for outage scenarios.

Beanie binds the document models process-wide, so starting another app re-binds them to
that app's database; when it stops, they are bound back to the suite's database, and the
suite's log capture (for the secret scan) is restored too.
"""

from __future__ import annotations

import contextlib
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from service.core.config import Settings
from service.core.setting_types import Environment
from service.main import create_app
from service.observability.logging import configure_logging
from service.startup.documents import init_models
from tests.secret_scan import SecretLedger, Tee


def own_settings(mongodb_url: str, **overrides: Any) -> Settings:
    """Test settings for an app of its own: a fresh database name, cheap hashing."""
    values: dict[str, Any] = {
        "environment": Environment.TEST,
        "mongodb_url": mongodb_url,
        "mongodb_db": f"own_{uuid.uuid4().hex[:12]}",
        "argon2_time_cost": 1,
        "argon2_memory_cost_kib": 8192,
        "argon2_parallelism": 1,
        "jwt_secret": "own-app-test-secret-" + "z" * 32,
        "rate_limit_enabled": False,  # as in the suite's settings (tests/ratelimit/ test it)
        **overrides,
    }
    return Settings(**values)


@contextlib.asynccontextmanager
async def own_app(
    settings: Settings, suite: LifespanManager, ledger: SecretLedger
) -> AsyncIterator[httpx.AsyncClient]:
    """Start an app for `settings` through its lifespan; yield an HTTP client for it."""
    app = create_app(settings)  # configures logging for itself: capture it again
    configure_logging(settings.log_level, settings.log_format, stream=Tee(sys.stdout, ledger.log))
    try:
        async with LifespanManager(app, shutdown_timeout=15) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", event_hooks=ledger.hooks()
            ) as client:
                yield client
    finally:
        # The suite's lifespan state holds its database handle (asgi-lifespan keeps it).
        await init_models(suite._state["app"].db.database)
