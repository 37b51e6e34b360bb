"""Command line: `python -m service serve|seed|train|create-admin|migrate-avatars|keys`.

Each command imports what it uses when it runs: parsing the command line (and `--help`)
loads no settings, database, web or crypto library.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from service.cli.keys import add_commands as add_key_commands

if TYPE_CHECKING:
    from service.core.config import Settings

T = TypeVar("T")


def _run_async(main: Coroutine[Any, Any, T]) -> T:
    import asyncio

    return asyncio.run(main)


def _load_settings() -> Settings:
    from service.cli.serve import load_settings

    return load_settings()


def _serve(args: argparse.Namespace) -> None:
    from service.cli.serve import serve

    serve(args)


def _seed(_: argparse.Namespace) -> None:
    from service.cli.seed import load_seed_users
    from service.observability.logging import configure_logging

    settings = _load_settings()
    configure_logging(settings.log_level, settings.log_format)
    report = _run_async(load_seed_users(settings))
    print(f"seeded {report.inserted} new user(s) into {settings.mongodb_db}")
    if report.skipped:
        # Not an error: someone registered these names first, and they keep them.
        print(
            f"skipped {len(report.skipped)} seed user(s) whose username or email is taken: "
            + ", ".join(report.skipped)
        )


def _train(args: argparse.Namespace) -> None:
    from service.cli.model_seed import IRIS_MODEL, train_and_register
    from service.observability.logging import configure_logging

    if args.out is not None:
        _train_to_file(args.out)
        return
    settings = _load_settings()
    configure_logging(settings.log_level, settings.log_format)
    try:
        report = _run_async(train_and_register(settings))
    except ImportError as exc:
        print(
            f"training needs the `train` and `ml` extras ({exc.name} is missing): "
            "pip install 'users-service[ml,train]'",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    state = "registered as" if report.created else "already stored as"
    print(
        f"iris classifier: held-out accuracy {report.accuracy:.3f}; "
        f"{state} model {IRIS_MODEL!r} version {report.version}"
    )


def _train_to_file(out: Path) -> None:
    """Train iris and write its ONNX file (for uploading by hand); no database is touched."""
    try:
        from service.models.train import train_iris

        trained = train_iris()
    except ImportError as exc:
        print(f"training needs the `train` extra ({exc.name} is missing)", file=sys.stderr)
        raise SystemExit(1) from None
    out.write_bytes(trained.onnx)
    print(
        f"iris classifier: held-out accuracy {trained.metrics['accuracy']:.3f}; "
        f"wrote {len(trained.onnx)} bytes to {out}"
    )


def _create_admin(args: argparse.Namespace) -> None:
    from datetime import timedelta

    from prometheus_client import Counter
    from pymongo.errors import PyMongoError

    from service.audit.trail import Audit
    from service.cli.admin import create_or_promote_admin
    from service.core.database import create_client
    from service.core.errors import ServiceError
    from service.observability.logging import configure_logging
    from service.startup.builders import build_hasher
    from service.startup.documents import init_models
    from service.startup.password_policy import OutboundClient, build_password_policy
    from service.users.schemas import UserCreate

    settings = _load_settings()
    configure_logging(settings.log_level, settings.log_format)
    # The password comes from the environment or a prompt, never from argv (shell history).
    from pydantic import ValidationError

    password = os.environ.get("ADMIN_PASSWORD") or getpass.getpass("Admin password: ")
    try:
        data = UserCreate(username=args.username, email=args.email, password=password)
    except ValidationError as exc:
        for error in exc.errors():
            print(f"invalid {error['loc'][0]}: {error['msg']}", file=sys.stderr)
        raise SystemExit(2) from None

    async def run() -> tuple[str, bool]:
        client = create_client(settings)
        http = OutboundClient(settings)
        checks = Counter("password_breach_checks", "Breach checks.", ["outcome"], registry=None)
        policy = build_password_policy(settings, None, http.get, checks)
        try:
            await init_models(client[settings.mongodb_db])
            audit = Audit(timedelta(days=settings.audit_retention_days))
            user, created = await create_or_promote_admin(
                data, build_hasher(settings), audit=audit, passwords=policy
            )
            return str(user.id), created
        finally:
            await http.aclose()
            await client.close()

    try:
        user_id, created = _run_async(run())
    except ServiceError as exc:  # e.g. the email belongs to another user
        print(f"create-admin: {exc.detail or type(exc).__name__}", file=sys.stderr)
        raise SystemExit(1) from None
    except PyMongoError as exc:  # one line, and never the URL (it may carry a password)
        print(
            f"create-admin: cannot reach MongoDB at MONGODB_URL ({type(exc).__name__}); "
            "is the database running? (`make db` starts the local one)",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    print(f"{'created' if created else 'promoted'} admin {data.username} ({user_id})")


def _migrate_avatars(args: argparse.Namespace) -> None:
    from service.accounts.avatar_migration import migrate_avatars
    from service.avatars.storage import GridFSAvatarStorage
    from service.core.database import create_client
    from service.observability.logging import configure_logging
    from service.startup.builders import build_avatar_storage
    from service.startup.documents import init_models
    from service.users.cache import UserCache
    from service.users.service import UserService

    settings = _load_settings().model_copy(update={"avatar_storage": args.to})
    if settings.avatar_s3_bucket is None:
        print("migrate-avatars: set AVATAR_S3_BUCKET (and the other AVATAR_S3_*)", file=sys.stderr)
        raise SystemExit(2)
    configure_logging(settings.log_level, settings.log_format)

    async def run() -> str:
        client = create_client(settings)
        try:
            database = client[settings.mongodb_db]
            await init_models(database)
            target = build_avatar_storage(settings, database)
            # A process of its own: the running service's caller caches expire on their own.
            users = UserService(UserCache())
            report = await migrate_avatars(GridFSAvatarStorage(database), target, users)
            return ", ".join(f"{name.replace('_', ' ')} {n}" for name, n in vars(report).items())
        finally:
            await client.close()

    print(f"migrate-avatars: {_run_async(run())}")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(prog="python -m service", description="users-service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "1")),
        help="worker processes (default: WEB_CONCURRENCY or 1)",
    )
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.set_defaults(run=_serve)
    seed = commands.add_parser("seed", help="load seed_data/users.json (idempotent)")
    seed.set_defaults(run=_seed)
    train = commands.add_parser(
        "train", help="train the bundled iris classifier and register it as `iris` (idempotent)"
    )
    train.add_argument(
        "--out",
        type=Path,
        help="write the trained model's ONNX file here instead of registering it",
    )
    train.set_defaults(run=_train)
    admin = commands.add_parser(
        "create-admin", help="create an admin, or promote an existing user (ADMIN_PASSWORD)"
    )
    admin.add_argument("--username", required=True)
    admin.add_argument("--email", required=True)
    admin.set_defaults(run=_create_admin)
    migrate = commands.add_parser(
        "migrate-avatars", help="copy GridFS avatars to S3 and re-point their users (idempotent)"
    )
    migrate.add_argument("--to", choices=["s3"], required=True)
    migrate.set_defaults(run=_migrate_avatars)
    add_key_commands(commands, lambda: _load_settings().jwt_keys_dir)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
