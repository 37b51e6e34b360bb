"""The key set's sources and the `keys` command: directory, variables, first-run key,
and the production start that refuses to run without a key."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from service.__main__ import main
from service.auth.key_store import ensure_development_keys, read_directory
from service.auth.keys import KeySet, generate_pem, parse_pem, public_pem
from service.core.config import Settings
from service.startup.key_set import load_key_set
from tests.conftest import TEST_SECOND_FACTOR_KEY
from tests.service_process import REPO_ROOT

PARALLEL = 8


def test_first_start_of_many_workers_creates_exactly_one_key(tmp_path: Path) -> None:
    keys_dir = tmp_path / "jwt-keys"
    barrier = threading.Barrier(PARALLEL)
    results: list[KeySet] = []

    def start_worker() -> None:
        barrier.wait()  # every worker finds the directory empty at the same moment
        results.append(ensure_development_keys(keys_dir, "ES256"))

    workers = [threading.Thread(target=start_worker) for _ in range(PARALLEL)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(list(keys_dir.glob("*.pem"))) == 1
    assert len({result.active.kid for result in results}) == 1
    assert len(results) == PARALLEL
    assert (keys_dir / next(keys_dir.glob("*.pem")).name).stat().st_mode & 0o077 == 0


def test_keys_command_walks_a_rotation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = ["keys", "--dir", str(tmp_path)]
    main([*keys, "generate", "--activate"])
    old = read_directory(tmp_path).active.kid
    main([*keys, "generate", "--alg", "EdDSA"])
    published = read_directory(tmp_path)
    assert published.active.kid == old  # published, not yet signing
    new = next(kid for kid in published.keys if kid != old)
    with pytest.raises(SystemExit) as refused:
        main([*keys, "retire", old])
    assert refused.value.code == 1
    assert "signing key" in capsys.readouterr().err
    main([*keys, "activate", new])
    main([*keys, "retire", old, "--keep-public"])
    main([*keys, "list"])
    listing = capsys.readouterr().out.splitlines()
    assert f"{new}  EdDSA  active" in listing
    assert f"{old}  ES256  verify-only (public)" in listing
    main([*keys, "retire", old])
    assert set(read_directory(tmp_path).keys) == {new}


def test_keys_from_variables_sign_with_one_and_verify_with_all() -> None:
    signing, standby, public_only = (generate_pem("ES256").decode() for _ in range(3))
    public_only = public_pem(parse_pem(public_only.encode())).decode()
    settings = Settings(jwt_signing_key=signing, jwt_verify_keys=standby + "\n" + public_only)
    keys = load_key_set(settings)
    assert keys.active.kid == parse_pem(signing.encode()).kid
    assert len(keys.keys) == 3
    with pytest.raises(ValidationError, match="JWT_VERIFY_KEYS needs JWT_SIGNING_KEY"):
        Settings(jwt_verify_keys=standby)


def test_issuer_and_audience_default_to_the_public_address() -> None:
    assert Settings().token_issuer == Settings().token_audience == "users-service"
    public = Settings(public_base_url="https://users.example.com")
    assert public.token_issuer == public.token_audience == "https://users.example.com"
    assert Settings(jwt_issuer="https://id.example.com").token_issuer == "https://id.example.com"


def test_a_bad_key_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.pem").write_text("-----BEGIN PRIVATE KEY-----\nnope\n")
    settings = Settings(jwt_keys_dir=str(tmp_path))
    with pytest.raises(ValueError, match=r"JWT_KEYS_DIR: broken\.pem: not a usable PEM key"):
        load_key_set(settings)


def test_production_without_a_key_stops_before_serving(tmp_path: Path) -> None:
    empty = tmp_path / "jwt-keys"
    empty.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("JWT_")},
        "ENVIRONMENT": "production",
        "JWT_SECRET": "production-like-secret-" + "q" * 32,
        "SECOND_FACTOR_KEY": TEST_SECOND_FACTOR_KEY,
        "JWT_KEYS_DIR": str(empty),
        "PUBLIC_BASE_URL": "https://users.example.com",
        "SMTP_HOST": "127.0.0.1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "service", "serve", "--port", "1"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert f"invalid setting JWT_KEYS_DIR: no *.pem key in {empty}" in result.stderr
    assert list(empty.iterdir()) == []  # production never makes up a key
