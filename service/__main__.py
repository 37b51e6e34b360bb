"""Command line: `python -m service serve|seed`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from service.config import Settings


def _load_settings() -> Settings:
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


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    settings = _load_settings()
    prepare_multiprocess_metrics()
    uvicorn.run(
        "service.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        loop="uvloop",
        http="httptools",
        proxy_headers=True,
        access_log=False,
        log_config=None,
        log_level=settings.log_level.lower(),
    )


def _seed(_: argparse.Namespace) -> None:
    from service.logging import configure_logging
    from service.seed import seed_users

    settings = _load_settings()
    configure_logging(settings.log_level, settings.log_format)
    inserted = asyncio.run(seed_users(settings))
    print(f"seeded {inserted} new user(s) into {settings.mongodb_db}")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(prog="python -m service", description="users-service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.set_defaults(run=_serve)
    seed = commands.add_parser("seed", help="load seed_data/users.json (idempotent)")
    seed.set_defaults(run=_seed)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
