"""Stopping background tasks for certain, even when a library swallows a cancellation.

PyMongo's async driver can absorb a `CancelledError` that lands mid-operation and return
the operation's result instead (measured here: about 1 in 15 cancellations during a
query). A loop that only waits for the next `CancelledError` then runs on forever, and
so does a shutdown that cancels it once and awaits it. The task's cancel request stays
counted (`Task.cancelling()`), so loops check it, and `stop` cancels again until the task
has really ended.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

# How long `stop` waits for a cancelled task before cancelling it again.
RECANCEL_AFTER_S = 1.0


def raise_if_cancelled() -> None:
    """Raise `CancelledError` if the current task was asked to stop (even if the request
    was swallowed on the way); call it at the top of every background loop."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def stop(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and return once it has ended, cancelling again while it runs on."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=RECANCEL_AFTER_S)
    with contextlib.suppress(asyncio.CancelledError):
        task.result()
