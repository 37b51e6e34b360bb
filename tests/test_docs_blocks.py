"""Every shell block of README.md and docs/ runs as pasted, in the order written.

One real service process serves them all, started as `make run` starts it: development
settings (so its defaults must leave room for the documented examples), rate limits
counted in a real Redis, no SMTP server (mails go to the development mail log the blocks
read links from), the seed users loaded. Each block runs in its own
`bash -euo pipefail`, in a scratch directory that holds the project (so what a block
writes, such as `iris.onnx` or `.local/`, stays out of the checkout), with `API` and
`MAIL_LOG_FILE` set to where this service listens and mails, as `make run`'s defaults
would be for a reader. Only the hashing cost is lowered, to keep the suite quick.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.localdb import LocalServer
from scripts.localredis import LocalRedis
from service.core.config import Settings
from tests.doc_blocks import ShellBlock, shell_blocks
from tests.service_process import REPO_ROOT, running_service

# The order a reader meets them: the README, then docs/ as its table lists them.
DOCUMENTS = (
    "README.md",
    "docs/api.md",
    "docs/security.md",
    "docs/models.md",
    "docs/operations.md",
    "docs/deployment.md",
    "docs/development.md",
    "docs/ferretdb.md",
    "docs/scaling.md",
)
# What a block may need that the suite does not have; anything else must run.
# A block that only starts tests the suite already runs would run them twice.
ACCEPTED_REASONS = ("Docker", "Kubernetes", "AWS", "serves until stopped", "the test suite runs")
_CHEAP_HASHING = {
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_COST_KIB": "8192",
    "ARGON2_PARALLELISM": "1",
}


def _documents() -> list[Path]:
    listed = [REPO_ROOT / name for name in DOCUMENTS]
    others = sorted(set((REPO_ROOT / "docs").glob("*.md")) - set(listed))
    return [path for path in [*listed, *others] if path.exists()]


ALL_BLOCKS = [block for path in _documents() for block in shell_blocks(path)]
RUN_BLOCKS = [block for block in ALL_BLOCKS if block.not_executed is None]


@dataclass(frozen=True)
class DocsService:
    """The running service and the shell environment the blocks get."""

    env: dict[str, str]
    workdir: Path
    log: Path


def _scratch_project(root: Path) -> Path:
    """A directory that looks like the checkout (links to it) but keeps its own writes."""
    workdir = root / "project"
    workdir.mkdir()
    for entry in REPO_ROOT.iterdir():
        if entry.name not in {".git", ".local"}:
            (workdir / entry.name).symlink_to(entry)
    return workdir


@pytest.fixture(scope="module")
def docs_service(
    mongo_server: LocalServer, redis_server: LocalRedis, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DocsService]:
    """One development service, seeded, shared by every block in order."""
    root = tmp_path_factory.mktemp("docs")
    workdir = _scratch_project(root)
    # The reader's environment, without settings this test process may carry.
    environ = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    database = f"docs_{uuid.uuid4().hex[:8]}"
    mail_log = root / "mail.jsonl"
    service_env = {
        "MONGODB_URL": mongo_server.url,
        "MONGODB_DB": database,
        "ENVIRONMENT": "development",
        "RATE_LIMIT_STORAGE_URL": re.sub(r"/\d+$", "/9", redis_server.url),
        "MAIL_LOG_FILE": str(mail_log),
        # A reader's service asks api.pwnedpasswords.com; this test has no Internet.
        "HIBP_ENABLED": "false",
        **_CHEAP_HASHING,
    }
    # `make run` seeds before serving; so does this.
    subprocess.run(
        [sys.executable, "-m", "service", "seed"],
        cwd=REPO_ROOT,
        env={**environ, **service_env},
        check=True,
        timeout=300,
        capture_output=True,
    )
    log = root / "service.log"
    with running_service(
        mongo_server.url,
        database,
        log,
        test_defaults=False,
        extra_env=service_env,
        ready_path="/health/ready",
        start_timeout_s=180,
        environ=environ,
    ) as base_url:
        # What a reader's shell has after `make run`: the API's address and the mail log;
        # the database variables let a block run the project's commands against it.
        yield DocsService(env={**environ, **service_env, "API": base_url}, workdir=workdir, log=log)


def _missing_promises(block: ShellBlock, stdout: str) -> list[str]:
    """The promised lines not found in `stdout` in their order (empty when all are)."""
    lines = iter(line.strip() for line in stdout.splitlines())
    return [promise for promise in block.promises if not any(line == promise for line in lines)]


def test_every_document_has_a_contents_list_and_every_skip_a_reason() -> None:
    for path in [*_documents(), REPO_ROOT / "bench" / "README.md"]:
        assert "## Contents" in path.read_text(), f"{path.name} has no contents list"
    skipped = [block for block in ALL_BLOCKS if block.not_executed is not None]
    for block in skipped:
        assert any(reason in block.not_executed for reason in ACCEPTED_REASONS), block.where
    assert len(RUN_BLOCKS) >= 9, [block.where for block in RUN_BLOCKS]


def test_blocks_define_what_they_use() -> None:
    for block in RUN_BLOCKS:
        code = "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in block.script.splitlines())
        if "$API" in code:
            assert "API=${API:-http://127.0.0.1:8000}" in code, f"{block.where} uses an unset $API"
        # A placeholder such as <id> is a redirect to bash; a reader would paste it as is.
        assert not re.search(r"<[a-z_]+>", code), f"{block.where} has a placeholder"
        assert "uuidgen" not in code, f"{block.where} needs uuidgen, which is not everywhere"


def test_the_configuration_table_names_every_setting() -> None:
    text = (REPO_ROOT / "docs" / "operations.md").read_text()
    table = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert {name.upper() for name in Settings.model_fields} <= named


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of `path`."""
    headings = re.findall(r"^#+ (.+)$", path.read_text(), re.MULTILINE)
    return {re.sub(r"[^\w -]", "", h.lower()).replace(" ", "-") for h in headings}


def test_links_between_documents_resolve() -> None:
    for path in [*_documents(), REPO_ROOT / "bench" / "README.md"]:
        for target, anchor in re.findall(r"\]\(([^)#:]*)(?:#([^)]*))?\)", path.read_text()):
            linked = path.parent / target if target else path
            assert linked.exists(), f"{path.name} links to missing {target}"
            if anchor and linked.suffix == ".md":
                assert anchor in _anchors(linked), f"{path.name} links to {target}#{anchor}"


def test_documents_name_behaviours_not_module_files() -> None:
    # Modules move; settings, commands and behaviours are what a reader can rely on.
    for path in _documents():
        if path.name == "architecture.md":  # the one document about where code lives
            continue
        modules = re.findall(r"service/[\w/]+\.py", path.read_text())
        assert not modules, f"{path.name} names {modules}"


@pytest.mark.parametrize("block", RUN_BLOCKS, ids=[block.where for block in RUN_BLOCKS])
def test_shell_block_runs_as_pasted(docs_service: DocsService, block: ShellBlock) -> None:
    started = time.monotonic()
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block.script],
        cwd=docs_service.workdir,
        env={**docs_service.env, "HOME": str(docs_service.workdir.parent)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    assert done.returncode == 0, (
        f"{block.where} exited {done.returncode} after {time.monotonic() - started:.1f} s\n"
        f"{output}\nservice log:\n{docs_service.log.read_text()[-2000:]}"
    )
    missing = _missing_promises(block, done.stdout)
    assert not missing, f"{block.where} did not print {missing} in order\n{output}"
