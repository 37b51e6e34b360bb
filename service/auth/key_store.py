"""Where the key set lives: a directory of PEM files (a mounted secret), or PEM in variables.

Directory layout (what `python -m service keys …` writes and a Kubernetes secret mounts):

    <kid>.pem   one key each: a private key signs or stands by, a public key only verifies
    active      the `kid` of the signing key (optional when exactly one private key exists)

Development and tests generate one key on first start; production never generates.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from service.auth.keys import (
    Algorithm,
    KeySet,
    KeySetError,
    TokenKey,
    build_key_set,
    generate_pem,
    parse_pem,
    public_pem,
    split_pem_blocks,
)

ACTIVE_FILE = "active"


def _pem_files(directory: Path) -> list[Path]:
    # Kubernetes mounts keep their real files under hidden `..data` directories: skipped.
    return sorted(p for p in directory.glob("*.pem") if not p.name.startswith("."))


def read_directory(directory: Path) -> KeySet:
    """The key set stored in `directory` (KeySetError naming the file that is wrong)."""
    keys: list[TokenKey] = []
    for path in _pem_files(directory):
        try:
            keys.append(parse_pem(path.read_bytes()))
        except KeySetError as exc:
            raise KeySetError(f"{path.name}: {exc}") from None
    if not keys:
        raise KeySetError(f"no *.pem key in {directory}")
    marker = directory / ACTIVE_FILE
    active = marker.read_text().strip() if marker.exists() else None
    return build_key_set(keys, active or None)


def read_variables(signing_pem: str, verify_pems: str | None) -> KeySet:
    """The key set from PEM text: one signing key, then any number of verify-only keys."""
    signing = split_pem_blocks(signing_pem)
    if len(signing) != 1:
        raise KeySetError(f"expected one PEM key, found {len(signing)}")
    active = parse_pem(signing[0])
    others = [parse_pem(block) for block in split_pem_blocks(verify_pems or "")]
    return build_key_set([active, *others], active.kid)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    # Workers and replicas sharing a development directory must not each add a key.
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_private(path: Path, data: bytes) -> None:
    # Written under a temporary name, then renamed: a reader sees the whole key or none.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def _set_active(directory: Path, kid: str) -> None:
    _write_private(directory / ACTIVE_FILE, f"{kid}\n".encode())


def add_key(directory: Path, algorithm: Algorithm, *, activate: bool) -> TokenKey:
    """Generate a private key into `directory`; make it the signing key when `activate`."""
    with _locked(directory):
        pem = generate_pem(algorithm)
        key = parse_pem(pem)
        _write_private(directory / f"{key.kid}.pem", pem)
        if activate:
            _set_active(directory, key.kid)
        return key


def ensure_development_keys(directory: Path, algorithm: Algorithm) -> KeySet:
    """The directory's key set, first generating an active key if it holds none."""
    with _locked(directory):
        if not _pem_files(directory):
            pem = generate_pem(algorithm)
            key = parse_pem(pem)
            _write_private(directory / f"{key.kid}.pem", pem)
            _set_active(directory, key.kid)
    return read_directory(directory)


def activate(directory: Path, kid: str) -> None:
    """Make the stored private key `kid` the signing key (the old one stays to verify)."""
    with _locked(directory):
        key = read_directory(directory).verifying_key(kid)
        if key is None or key.private is None:
            raise KeySetError(f"no private key {kid!r} in {directory}")
        _set_active(directory, kid)


def retire(directory: Path, kid: str, *, keep_public: bool = False) -> None:
    """Remove key `kid` (or keep only its public half); the signing key cannot retire."""
    with _locked(directory):
        key_set = read_directory(directory)
        if key_set.active.kid == kid:
            raise KeySetError(f"{kid!r} is the signing key: activate another key first")
        key = key_set.verifying_key(kid)
        if key is None:
            raise KeySetError(f"no key {kid!r} in {directory}")
        for path in _pem_files(directory):
            if parse_pem(path.read_bytes()).kid == kid:
                path.unlink()
        if keep_public:
            _write_private(directory / f"{kid}.pem", public_pem(key))
