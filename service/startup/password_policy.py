"""Building the password policy and the outbound HTTP client its breach check shares."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING

from prometheus_client import Counter

from service import __version__
from service.core.admission import AdmissionGate
from service.core.config import Settings
from service.core.setting_types import Environment
from service.passwords.breaches import BreachCheckConfig, BreachChecker
from service.passwords.policy import PasswordPolicy

if TYPE_CHECKING:
    import httpx


def build_http_client(settings: Settings) -> httpx.AsyncClient:
    """The worker's one client for outbound calls: pooled, bounded and quick to give up.

    At most `HIBP_MAX_CONNECTIONS` requests are in flight per worker; a request beyond
    them waits for a connection within the same timeout, then counts as failed.
    """
    import httpx

    timeout = settings.hibp_timeout_s
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, pool=timeout),
        limits=httpx.Limits(
            max_connections=settings.hibp_max_connections,
            max_keepalive_connections=settings.hibp_max_connections,
        ),
        headers={"User-Agent": f"users-service/{__version__}"},
        follow_redirects=False,
        trust_env=True,  # an egress proxy (HTTPS_PROXY) applies, as operators expect
    )


class OutboundClient:
    """The worker's outbound client, built by the first call of `get`.

    httpx, its connection pool and its TLS context (the CA bundle read and parsed) cost
    ~9 MiB and ~0.15 s of start-up per worker; a worker that never checks a password
    never pays them. One event loop per worker and no await between the check and the
    build: concurrent first checks share one client.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: httpx.AsyncClient | None = None

    def get(self) -> httpx.AsyncClient:
        """The client, built now if this is the first call."""
        if self._client is None:
            self._client = build_http_client(self._settings)
        return self._client

    async def aclose(self) -> None:
        """Close the client's connections, if it was ever built."""
        if self._client is not None:
            await self._client.aclose()


def fails_open(settings: Settings) -> bool:
    """HIBP_FAIL_OPEN, else open outside production and closed in it."""
    if settings.hibp_fail_open is not None:
        return settings.hibp_fail_open
    return settings.environment is not Environment.PRODUCTION


def build_password_policy(
    settings: Settings,
    gate: AdmissionGate | None,
    client: Callable[[], httpx.AsyncClient] | None,
    checks: Counter,
) -> PasswordPolicy:
    """The policy new passwords pass; the breach check only when enabled and a client is
    given (a function returning the shared client, such as `OutboundClient.get`)."""
    breaches = None
    if settings.hibp_enabled and client is not None:
        # httpx is imported by the first check: a missing one must still stop the start.
        if importlib.util.find_spec("httpx") is None:
            raise RuntimeError("HIBP_ENABLED=true needs httpx, which is not installed")
        config = BreachCheckConfig(
            base_url=settings.hibp_base_url,
            timeout_s=settings.hibp_timeout_s,
            min_count=settings.hibp_min_count,
        )
        breaches = BreachChecker(client, config, checks)
    return PasswordPolicy(
        min_score=settings.password_min_score,
        gate=gate,
        breaches=breaches,
        fail_open=fails_open(settings),
    )
