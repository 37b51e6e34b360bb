"""`python -m service keys generate|list|activate|retire`: manage the key directory.

Works on `JWT_KEYS_DIR` (or `--dir`): generate a key locally, then ship the directory as
the mounted secret (docs/tokens.md has the whole rotation procedure).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path


class _Algorithms:
    """The signing algorithms, as argparse choices, resolved when `--alg` is checked: the
    crypto libraries behind them load only when a `keys` command runs."""

    def __contains__(self, value: object) -> bool:
        from service.auth.keys import ALGORITHMS

        return value in ALGORITHMS

    def __iter__(self) -> Iterator[str]:
        from service.auth.keys import ALGORITHMS

        return iter(ALGORITHMS)


def _directory(args: argparse.Namespace, settings_dir: Callable[[], str]) -> Path:
    return Path(args.dir or settings_dir())


def _run(args: argparse.Namespace, directory: Path) -> None:
    from service.auth.key_store import activate, add_key, read_directory, retire
    from service.auth.keys import describe

    if args.action == "generate":
        key = add_key(directory, args.alg, activate=args.activate)
        role = "active (signing)" if args.activate else "published, not signing"
        print(f"generated {key.algorithm} key {key.kid} in {directory}: {role}")
    elif args.action == "activate":
        activate(directory, args.kid)
        print(f"{args.kid} now signs; the previous key stays to verify")
    elif args.action == "retire":
        retire(directory, args.kid, keep_public=args.keep_public)
        print(f"retired {args.kid}" + (" (public half kept)" if args.keep_public else ""))
    for row in describe(read_directory(directory)):
        print(f"{row.kid}  {row.alg:<5}  {row.role}")


def add_commands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    settings_dir: Callable[[], str],
) -> None:
    """Add the `keys` command; `settings_dir` gives JWT_KEYS_DIR when `--dir` is not given."""
    keys = commands.add_parser("keys", help="manage the access-token signing keys")
    keys.add_argument("--dir", help="key directory (default: JWT_KEYS_DIR)")
    actions = keys.add_subparsers(dest="action", required=True)
    generate = actions.add_parser("generate", help="add a new private key")
    generate.add_argument(
        "--alg",
        choices=_Algorithms(),
        default="ES256",
        metavar="ALG",
        help="%(choices)s (default: %(default)s)",
    )
    generate.add_argument(
        "--activate", action="store_true", help="sign with it at once (first key, or one replica)"
    )
    actions.add_parser("list", help="list the keys and their roles")
    promote = actions.add_parser("activate", help="make a published key the signing key")
    promote.add_argument("kid")
    remove = actions.add_parser("retire", help="remove a verify-only key")
    remove.add_argument("kid")
    remove.add_argument(
        "--keep-public", action="store_true", help="keep its public half (destroy the private)"
    )

    def run(args: argparse.Namespace) -> None:
        from service.auth.keys import KeySetError

        try:
            _run(args, _directory(args, settings_dir))
        except (KeySetError, OSError) as exc:
            print(f"keys {args.action}: {exc}", file=sys.stderr)
            raise SystemExit(1) from None

    keys.set_defaults(run=run)
