"""`python -m service serve`: the settings checked up front, then uvicorn with the limits."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from service.core.config import Settings


def load_settings() -> Settings:
    """The settings from the environment; on a bad value, one line per variable and exit 2."""
    try:
        return Settings()
    except ValidationError as exc:
        # Fail fast and name each bad variable the way the operator wrote it.
        for error in exc.errors():
            name = "_".join(str(part) for part in error["loc"]).upper() or "configuration"
            print(f"invalid setting {name}: {error['msg']}", file=sys.stderr)
        raise SystemExit(2) from None


def prepare_multiprocess_metrics() -> None:
    """Create and empty `PROMETHEUS_MULTIPROC_DIR` so counts start from this run's workers."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


def check_keys(settings: Settings) -> None:
    """Exit 2 with one clear line when the signing keys are missing or unreadable."""
    from service.auth.keys import KeySetError
    from service.startup.key_set import load_key_set

    # Before any worker starts: a missing or bad key is one clear line, not a traceback.
    try:
        load_key_set(settings)
    except KeySetError as exc:
        print(f"invalid setting {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def serve(args: argparse.Namespace) -> None:
    """Run uvicorn with the service's limits, one app per worker built by the factory."""
    import uvicorn

    from service.http.server_limits import uvicorn_limits

    settings = load_settings()
    check_keys(settings)
    prepare_multiprocess_metrics()
    uvicorn.run(
        # The app is built per worker by its factory, not at import time.
        "service.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        loop="uvloop",
        # httptools with head-size/field-count/head-time limits, keep-alive, concurrency, backlog.
        **uvicorn_limits(settings),
        # Forwarded headers are believed only from the configured proxies.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
        access_log=False,
        # `Server: uvicorn` names the software to attack; off unless SERVER_HEADER=true.
        server_header=settings.server_header,
        log_config=None,
        log_level=settings.log_level.lower(),
    )
