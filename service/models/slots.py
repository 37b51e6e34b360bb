"""Work in an inference slot that stays taken until its thread has really ended.

A thread cannot be cancelled. If the request awaiting it is cancelled (its deadline, a
client that went away) and the slot were released then, the next run would start while
the first still computes: more ONNX Runtime threads, and more arena, than the gate
admits. So the gate's `run_sync` runs in a task of its own that nobody cancels, and the
slot is released when that task ends, which is when the thread returns; the cancelled
request only asks the work to stop (`on_cancel`, e.g. `ModelRun.stop`) and goes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

import structlog

from service.core.admission import AdmissionGate

log = structlog.get_logger(__name__)

T = TypeVar("T")

# Tasks whose awaiting request was cancelled: kept referenced until their thread ends.
_UNAWAITED: set[asyncio.Future[Any]] = set()


def _forget(task: asyncio.Future[Any]) -> None:
    _UNAWAITED.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.info("inference.abandoned_run_ended", error_type=type(task.exception()).__name__)


async def run_in_slot(
    gate: AdmissionGate,
    func: Callable[..., T],
    *args: object,
    on_cancel: Callable[[], None] | None = None,
) -> T:
    """`func(*args)` in a worker thread under `gate`; the slot is held until the thread ends.

    `WorkerBusy` when no slot frees up in time. When the caller is cancelled, `on_cancel`
    is called and the cancellation goes on at once, while the slot stays taken until the
    thread returns.
    """
    work: asyncio.Future[T] = asyncio.ensure_future(gate.run_sync(func, *args))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        if on_cancel is not None:
            on_cancel()
        if not work.done():
            _UNAWAITED.add(work)
            work.add_done_callback(_forget)
        else:
            with contextlib.suppress(BaseException):
                work.result()
        raise


def abandoned_runs() -> int:
    """How many runs whose requests were cancelled are still computing (for tests, metrics)."""
    return len(_UNAWAITED)


async def abandoned_runs_ended() -> None:
    """Wait, without cancelling them, until every run whose request went away has ended."""
    while _UNAWAITED:
        await asyncio.wait(set(_UNAWAITED))
