"""The production lane: the real service started as the README says production runs it.

`python -m service serve` with two workers (multiprocess metrics), ENVIRONMENT=production,
PUBLIC_BASE_URL and ALLOWED_HOSTS, rate limits counted in Redis, mail sent to a real SMTP
server, the ML extra with the iris model trained, production's Argon2 cost and logging.
It starts once per session (slow: training, two workers) and every test here talks to it
from outside, over HTTP, as a client behind the ingress would.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from scripts.localdb import LocalServer
from scripts.localredis import LocalRedis
from service.core.config import Settings
from tests.conftest import TEST_SECOND_FACTOR_KEY
from tests.passwords.range_server import RangeCorpus, range_server
from tests.service_process import REPO_ROOT, running_service
from tests.smtp_server import Mailbox

PUBLIC_HOST = "users.example.test"
PUBLIC_BASE_URL = f"https://{PUBLIC_HOST}"
PRODUCTION_JWT_SECRET = "production-lane-secret-" + "p" * 40
# The ingress in front of the service: its X-Forwarded-For names the client.
INGRESS = "127.0.0.1/32"
_addresses = itertools.count(1)


def next_client_address() -> str:
    """An address no other request of the session came from (rate limits count per one)."""
    n = next(_addresses)
    return f"198.18.{n // 250}.{n % 250 + 1}"


@dataclass(frozen=True)
class ProductionService:
    """The running lane: where it listens and what it left behind."""

    base_url: str
    log_path: Path
    metrics_dir: Path
    mailbox: Mailbox
    redis_url: str

    def client(self, address: str | None = None, **headers: str) -> httpx.Client:
        """A client behind the ingress: the public Host, one client address of its own."""
        return httpx.Client(
            base_url=self.base_url,
            timeout=60,
            headers={
                "Host": PUBLIC_HOST,
                "X-Forwarded-For": address or next_client_address(),
                "X-Forwarded-Proto": "https",
                **headers,
            },
        )

    def metrics(self) -> str:
        """What a Prometheus scrape of whichever worker answers returns."""
        response = httpx.get(f"{self.base_url}/metrics", timeout=60)
        assert response.status_code == 200, response.text
        return response.text

    def log_lines(self) -> list[dict[str, Any]]:
        """Every JSON line both workers have written so far."""
        lines = []
        for raw in self.log_path.read_text(errors="replace").splitlines():
            if raw.startswith("{"):
                lines.append(json.loads(raw))
        return lines


# The service's own variables: a developer's shell may set them; the lane sets its own.
_SERVICE_VARIABLES = frozenset(name.upper() for name in Settings.model_fields) | {
    "PROMETHEUS_MULTIPROC_DIR",
    "WEB_CONCURRENCY",
}


# Known to the lane's breach corpus: production refuses it.
BREACHED_PASSWORD = "password-in-a-breach-2024"


def _require_ml_extra() -> None:
    missing = [name for name in ("onnxruntime", "skl2onnx", "sklearn") if not _importable(name)]
    if missing:
        pytest.fail(
            f"the production lane needs the `ml` and `train` extras ({', '.join(missing)} "
            "missing): pip install 'users-service[ml,train]'"
        )


def _importable(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


@pytest.fixture(scope="session")
def breach_corpus() -> Iterator[str]:
    """A range server speaking the HIBP API on loopback (production checks new passwords
    against it and fails closed): its base URL."""
    with range_server(RangeCorpus(counts={BREACHED_PASSWORD: 12_345})) as url:
        yield url


@pytest.fixture(scope="session")
def production_service(
    mongo_server: LocalServer,
    redis_server: LocalRedis,
    smtp_server: tuple[str, int, Mailbox],
    breach_corpus: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ProductionService]:
    """The service as production runs it, started once for the session."""
    _require_ml_extra()
    workdir = tmp_path_factory.mktemp("production")
    metrics_dir = workdir / "multiproc"
    smtp_host, smtp_port, mailbox = smtp_server
    # The signing key as an operator makes it, read from a directory as a mounted secret.
    keys_dir = workdir / "jwt-keys"
    command = [sys.executable, "-m", "service", "keys", "--dir", str(keys_dir)]
    subprocess.run([*command, "generate", "--activate"], cwd=REPO_ROOT, check=True, timeout=120)
    env = {
        "ENVIRONMENT": "production",
        "MONGODB_URL": mongo_server.url,
        "MONGODB_DB": f"production_{uuid.uuid4().hex[:8]}",
        "JWT_SECRET": PRODUCTION_JWT_SECRET,
        "SECOND_FACTOR_KEY": TEST_SECOND_FACTOR_KEY,
        "HIBP_BASE_URL": breach_corpus,
        "JWT_KEYS_DIR": str(keys_dir),
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "ALLOWED_HOSTS": PUBLIC_HOST,
        "TRUSTED_PROXIES": INGRESS,
        "RATE_LIMIT_ENABLED": "true",
        "RATE_LIMIT_STORAGE_URL": redis_server.url,
        "SMTP_HOST": smtp_host,
        "SMTP_PORT": str(smtp_port),
        "SMTP_STARTTLS": "false",
        "ML_ENABLED": "true",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",
        # Each line reaches the log file when written, so tests can read their own.
        "PYTHONUNBUFFERED": "1",
    }
    # Settings the developer's shell may carry must not leak into the lane.
    clean = {k: v for k, v in os.environ.items() if k.upper() not in _SERVICE_VARIABLES}
    subprocess.run(
        [sys.executable, "-m", "service", "train"],
        cwd=REPO_ROOT,
        env={**clean, **env},
        check=True,
        timeout=900,
    )
    with running_service(
        mongo_server.url,
        env["MONGODB_DB"],
        workdir / "service.log",
        workers=2,
        extra_env=env,
        test_defaults=False,
        ready_path="/health/ready",
        # Two workers importing onnxruntime on a loaded two-core machine: minutes, not
        # seconds; a process that exits fails at once.
        start_timeout_s=300,
        environ=clean,
    ) as base_url:
        yield ProductionService(
            base_url=base_url,
            log_path=workdir / "service.log",
            metrics_dir=metrics_dir,
            mailbox=mailbox,
            redis_url=redis_server.url,
        )
    with MongoClient(mongo_server.url) as client:
        client.drop_database(env["MONGODB_DB"])


def wait_for_log(service: ProductionService, request_ids: set[str]) -> list[dict[str, Any]]:
    """The access lines of `request_ids`, once every one of them has been written."""
    deadline = time.monotonic() + 120  # only a line that never comes waits this long
    while True:
        lines = [
            line
            for line in service.log_lines()
            if line.get("event") == "http.request" and line.get("request_id") in request_ids
        ]
        if {line["request_id"] for line in lines} == request_ids or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)
