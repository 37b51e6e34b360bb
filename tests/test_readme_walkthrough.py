"""The README's "How to test the API" block, run as pasted against a real service process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

from scripts.localdb import LocalServer
from tests.service_process import REPO_ROOT, SUBPROCESS_CAP_S, running_service


def _block(heading: str) -> str:
    """The first sh block after `heading` in the README."""
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split(heading + "\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, f"no sh block under {heading}"
    return block.group(1)


def _run(script: str, base_url: str) -> str:
    pasted = script.replace("API=http://127.0.0.1:8000", f"API={base_url}", 1)
    assert pasted != script
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", pasted],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_CAP_S,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-1500:] + done.stderr[-1500:]
    return done.stdout


def test_the_readme_walkthrough_and_auth_examples_work_as_pasted(
    mongo_server: LocalServer, tmp_path: Path
) -> None:
    database = f"walkthrough_{uuid.uuid4().hex[:8]}"
    # `make run` seeds before serving; so does this (the list pages need more than one user).
    env = {**os.environ, "MONGODB_URL": mongo_server.url, "MONGODB_DB": database}
    subprocess.run(
        [sys.executable, "-m", "service", "seed"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        timeout=SUBPROCESS_CAP_S,
    )
    with running_service(mongo_server.url, database, tmp_path / "service.log") as base_url:
        walkthrough = _run(_block("### How to test the API"), base_url)
        auth = _run(_block("## Authentication"), base_url)
        again = _run(_block("## Authentication"), base_url)  # the admin's password is restored

    lines = walkthrough.splitlines()
    assert re.fullmatch(r"[0-9a-f]{24}", lines[0]), lines[:3]
    # The answers the comments promise, in order.
    promised = ["304", "A. Lovelace", "412", "200 image/webp", "204", "204"]
    assert [line for line in lines if line in promised] == promised, walkthrough[-2000:]
    assert "'status': 400" in walkthrough
    for output in (auth, again):
        assert output.splitlines() == ["admin", "204", "204", "204", "204", "401"], output
