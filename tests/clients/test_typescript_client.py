"""The TypeScript client's own suite (clients/typescript/test, Node's test runner),
type-checked with the generated code and run against a live service."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.service_process import REPO_ROOT

CLIENT = REPO_ROOT / "clients" / "typescript"


def test_the_typescript_client_suite_passes_against_the_live_service(live_service: str) -> None:
    npm = shutil.which("npm")
    assert npm, "Node.js and npm are needed for clients/typescript"
    assert (CLIENT / "node_modules" / "@hey-api").is_dir(), (
        "clients/typescript has no node_modules: run `make test-clients` (npm ci)"
    )
    env = {**os.environ, "USERS_SERVICE_URL": live_service, "NODE_NO_WARNINGS": "1"}
    result = subprocess.run(
        [npm, "test", "--silent"],
        cwd=CLIENT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    # Node's runner closes with `# pass N` / `# fail N`: every test ran, none failed.
    tests = len(re.findall(r'^test\("', (CLIENT / "test" / "client.test.ts").read_text(), re.M))
    assert re.search(rf"^# pass {tests}$", output, re.M), output[-3000:]
    assert re.search(r"^# fail 0$", output, re.M), output[-3000:]


def test_the_typescript_lockfile_names_no_registry() -> None:
    lockfile = (CLIENT / "package-lock.json").read_text()
    assert '"resolved"' not in lockfile
    assert "registry" not in lockfile
    assert Path(CLIENT / ".npmrc").read_text().count("omit-lockfile-registry-resolved=true") == 1
