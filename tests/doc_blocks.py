"""The shell blocks of README.md and docs/, as a reader sees them, in the order written.

A block is a fenced code block whose info string is `sh`, `bash`, `shell` or `console`.
A block the suite cannot run (it needs Docker, a cluster or a cloud account, or it serves
until stopped) is preceded by `<!-- not executed: <why> -->`; every other block is run.
A line ending in `# => <text>` promises that the block prints `<text>` as a line of its
own; the promises of a block must appear in its output in that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SHELL_LANGUAGES = frozenset({"sh", "bash", "shell", "console"})
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w+-]*)")
_SKIP = re.compile(r"^<!--\s*not executed:\s*(?P<why>\S.*?)\s*-->$")
_PROMISE = re.compile(r"#\s*=>\s*(?P<text>\S.*?)\s*$")


@dataclass(frozen=True)
class ShellBlock:
    """One shell block: where it is, what it runs, and why not, if it is not run."""

    path: Path
    line: int
    script: str
    not_executed: str | None

    @property
    def where(self) -> str:
        """`file:line` of the opening fence, for messages."""
        return f"{self.path.name}:{self.line}"

    @property
    def promises(self) -> list[str]:
        """The lines this block says it prints (`# => text`), in order."""
        return [m.group("text") for m in map(_PROMISE.search, self.script.splitlines()) if m]


def shell_blocks(path: Path) -> list[ShellBlock]:
    """Every shell block of the Markdown file `path`, in order."""
    blocks: list[ShellBlock] = []
    lines = path.read_text().splitlines()
    index = 0
    previous = ""
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            if lines[index].strip():
                previous = lines[index].strip()
            index += 1
            continue
        marker, language = fence.group(1), fence.group(2).lower()
        end = index + 1
        while end < len(lines) and not lines[end].startswith(marker):
            end += 1
        if language in SHELL_LANGUAGES:
            skip = _SKIP.match(previous)
            blocks.append(
                ShellBlock(
                    path=path,
                    line=index + 1,
                    script="\n".join(lines[index + 1 : end]) + "\n",
                    not_executed=skip.group("why") if skip else None,
                )
            )
        previous = ""
        index = end + 1
    return blocks
