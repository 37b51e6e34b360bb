"""Asking the Have I Been Pwned range API whether a password is in a known breach.

k-anonymity: the password's SHA-1 is computed here and only its first 5 hex digits are
sent (`GET {base}/range/{prefix}`); the API answers every suffix it knows under that
prefix with its count, padded (`Add-Padding: true`) with random suffixes of count 0 so
that the answer's size does not tell the prefix either. The match is made here. Neither
the password nor its full hash is ever sent or logged; the prefix is (it names ~500
unrelated passwords' worth of hashes).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import structlog
from prometheus_client import Counter

from service.core.db_deadline import outside_database_deadline

if TYPE_CHECKING:
    import httpx

log = structlog.get_logger(__name__)

PREFIX_LENGTH = 5
# A padded answer holds 800-1,000 lines of 35 hex digits and a count (~40 KB); more than
# this is not the range API, and is not read into memory.
MAX_RESPONSE_BYTES = 512 * 1024


class BreachOutcome(StrEnum):
    """What one check found; the label of the `password_breach_checks` counter."""

    BREACHED = "breached"
    CLEAN = "clean"
    ERROR = "error"


@dataclass(frozen=True)
class BreachCheckConfig:
    """Where the range API is, how long to wait for it, and from which count to refuse."""

    base_url: str
    timeout_s: float
    min_count: int


class BreachCheckFailed(Exception):
    """The range API did not answer usefully in time (network, status, size or format)."""


def split_hash(password: str) -> tuple[str, str]:
    """The upper-case SHA-1 hex of the password as (5-digit prefix, 35-digit suffix)."""
    # SHA-1 is what the corpus is keyed by; nothing is stored or protected with it.
    digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
    return digest[:PREFIX_LENGTH], digest[PREFIX_LENGTH:]


def count_in_range(body: str, suffix: str) -> int:
    """The count of `suffix` in a range answer (`SUFFIX:COUNT` lines); 0 when absent.

    Padding lines carry a count of 0 and so never count as a breach.
    """
    for line in body.splitlines():
        found, _, count = line.strip().partition(":")
        if found.upper() == suffix:
            try:
                return int(count)
            except ValueError:
                raise BreachCheckFailed("malformed count") from None
    return 0


class BreachChecker:
    """The range API through one shared HTTP client, counted by outcome.

    `client` returns the worker's shared client; it is called for each check, so the
    client (httpx, its TLS context) can be built on the first check instead of at start.
    """

    def __init__(
        self, client: Callable[[], httpx.AsyncClient], config: BreachCheckConfig, checks: Counter
    ):
        self._client = client
        self._config = config
        self._checks = checks

    async def _range(self, prefix: str) -> str:
        url = f"{self._config.base_url}/range/{prefix}"
        async with self._client().stream("GET", url, headers={"Add-Padding": "true"}) as answer:
            if answer.status_code != 200:
                raise BreachCheckFailed(f"status {answer.status_code}")
            body = bytearray()
            async for chunk in answer.aiter_bytes():
                body.extend(chunk)
                if len(body) > MAX_RESPONSE_BYTES:
                    raise BreachCheckFailed("answer too large")
        return body.decode("ascii", errors="replace")

    async def breach_count(self, password: str) -> int:
        """How often the password appears in the corpus; `BreachCheckFailed` if unknown.

        The whole exchange (connection, every read) ends within the configured timeout; its
        time does not count against the request's database deadline.
        """
        import httpx  # loaded with the client, by the first check

        prefix, suffix = split_hash(password)
        try:
            with outside_database_deadline():
                async with asyncio.timeout(self._config.timeout_s):
                    body = await self._range(prefix)
            count = count_in_range(body, suffix)
        except (httpx.HTTPError, TimeoutError, BreachCheckFailed) as exc:
            self._checks.labels(BreachOutcome.ERROR).inc()
            log.warning("password.breach_check_failed", prefix=prefix, error=type(exc).__name__)
            raise BreachCheckFailed(type(exc).__name__) from exc
        breached = count >= self._config.min_count
        outcome = BreachOutcome.BREACHED if breached else BreachOutcome.CLEAN
        self._checks.labels(outcome).inc()
        log.info("password.breach_checked", prefix=prefix, outcome=str(outcome))
        return count

    @property
    def min_count(self) -> int:
        """The count from which a password is refused."""
        return self._config.min_count
