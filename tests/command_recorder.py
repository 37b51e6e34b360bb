"""Records the commands PyMongo sends, to prove how the service queries MongoDB.

Registered globally before any client exists (pymongo.monitoring.register), so the app's
own client reports to it; it keeps commands only while a test has switched it on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from pymongo import monitoring


class CommandRecorder(monitoring.CommandListener):
    """Keeps started commands while recording."""

    def __init__(self) -> None:
        self.commands: list[dict[str, Any]] = []
        self._recording = False

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        """Keep the command, if recording."""
        if self._recording:
            self.commands.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        """Nothing to keep."""

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        """Nothing to keep."""

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[dict[str, Any]]]:
        """Record the commands sent inside the block."""
        self.commands = []
        self._recording = True
        try:
            yield self.commands
        finally:
            self._recording = False

    def finds(self, collection: str) -> list[dict[str, Any]]:
        """The recorded `find` commands on `collection`."""
        return [c for c in self.commands if c.get("find") == collection]


RECORDER = CommandRecorder()
monitoring.register(RECORDER)
