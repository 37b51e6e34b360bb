"""An inference slot stays taken until its thread really ends; a stopped ORT run ends.

Races are forced with events: the work blocks until the test lets it go, so "still
running" is a fact, not a timing guess.
"""

from __future__ import annotations

import asyncio
import threading

import numpy
import pytest

from service.core.admission import AdmissionGate, WorkerBusy
from service.models.ort_limits import ModelRun, RunStopped, create_session
from service.models.slots import abandoned_runs, abandoned_runs_ended, run_in_slot
from tests.models import hostile

HANG_GUARD_S = 60  # only against a hang; no outcome depends on it


class BlockingWork:
    """Work that blocks its thread until released, counting how many run at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.ran = 0

    def __call__(self) -> str:
        if self.stopped.is_set():
            return "skipped"  # stopped while it waited for the slot, as a ModelRun does
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.ran += 1
        self.started.set()
        self.release.wait(HANG_GUARD_S)
        with self._lock:
            self.running -= 1
        return "done"


async def _until_no_abandoned_runs() -> None:
    async with asyncio.timeout(HANG_GUARD_S):
        await abandoned_runs_ended()


async def test_a_cancelled_caller_leaves_the_slot_taken_until_the_thread_ends() -> None:
    gate = AdmissionGate("inference", 1, max_wait_s=0.05)
    work = BlockingWork()
    caller = asyncio.create_task(run_in_slot(gate, work, on_cancel=work.stopped.set))
    await asyncio.to_thread(work.started.wait, HANG_GUARD_S)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert work.stopped.is_set()  # the work was asked to stop

    # The thread still runs, so the only slot is still taken: the next caller is refused.
    with pytest.raises(WorkerBusy):
        await run_in_slot(gate, lambda: "next")
    assert abandoned_runs() == 1

    work.release.set()
    await _until_no_abandoned_runs()
    assert await run_in_slot(gate, lambda: "next") == "next"


async def test_many_cancelled_callers_never_run_more_than_the_slots_at_once() -> None:
    gate = AdmissionGate("inference", 1, max_wait_s=HANG_GUARD_S)
    work = BlockingWork()
    callers = [
        asyncio.create_task(run_in_slot(gate, work, on_cancel=work.stopped.set)) for _ in range(8)
    ]
    await asyncio.to_thread(work.started.wait, HANG_GUARD_S)
    for caller in callers:
        caller.cancel()
    results = await asyncio.gather(*callers, return_exceptions=True)
    assert all(isinstance(result, asyncio.CancelledError) for result in results)

    work.release.set()
    await _until_no_abandoned_runs()
    assert (work.most, work.ran) == (1, 1)  # one ran; the seven queued ones stopped unrun


async def test_a_stopped_onnx_run_really_ends() -> None:
    # 10**15 loop iterations cannot finish: if the run ends, `terminate` ended it.
    session = create_session(hostile.endless_loop(), 128 * 1024 * 1024)
    gate = AdmissionGate("inference", 1, max_wait_s=0.05)
    run = ModelRun(timeout_s=3600)
    feeds = {"X": numpy.zeros((1, 1), "float32")}
    caller = asyncio.create_task(
        run_in_slot(gate, run, session, "p", feeds, on_cancel=lambda: run.stop("cancelled"))
    )
    await asyncio.to_thread(run.started.wait, HANG_GUARD_S)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert await asyncio.to_thread(run.finished.wait, HANG_GUARD_S)
    assert run.reason == "cancelled"
    await _until_no_abandoned_runs()
    assert await run_in_slot(gate, lambda: "free") == "free"


def test_the_run_timeout_stops_a_run_that_cannot_finish() -> None:
    session = create_session(hostile.endless_loop(), 128 * 1024 * 1024)
    run = ModelRun(timeout_s=0.2)
    with pytest.raises(RunStopped) as stopped:
        run(session, "p", {"X": numpy.zeros((1, 1), "float32")})
    assert stopped.value.reason == "timeout"
