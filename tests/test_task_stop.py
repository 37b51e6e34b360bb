"""Background loops stop when asked, even when the driver swallows the cancellation.

PyMongo's async driver sometimes absorbs a cancellation that lands mid-query and returns
the result instead; a loop waiting for `CancelledError` then runs on and a shutdown that
awaits it hangs. These tests cancel the real loops at many points of a real query.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgi_lifespan import LifespanManager
from pymongo.asynchronous.database import AsyncDatabase

from service.core.tasks import raise_if_cancelled, stop
from service.startup.documents import EXPIRING_MODELS
from service.startup.purge import PurgePolicy, purge_periodically

# The driver drops the connection of a query cancelled mid-flight and leaves its socket to
# the garbage collector; that warning is the driver's, not what these tests look at.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

ROUNDS = 150
# Only a task that never ends runs into this; a stopped one ends within milliseconds.
NEVER_S = 120


async def _unchecked_query_loop(
    database: AsyncDatabase[dict[str, Any]], swallowed: set[int], round_: int
) -> None:
    # A loop as a library might write it: it ends only when a CancelledError reaches it.
    while True:
        await database["probe"].count_documents({})
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            swallowed.add(round_)  # cancelled, yet the query returned normally


async def test_stop_ends_a_loop_even_when_the_driver_swallows_the_cancellation(
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    swallowed: set[int] = set()
    for round_ in range(ROUNDS // 3):  # each swallowed round costs one re-cancel wait
        task = asyncio.create_task(_unchecked_query_loop(test_db, swallowed, round_))
        for _ in range(round_ % 9 + 1):  # land the cancel at a different step each time
            await asyncio.sleep(0)
        await asyncio.wait_for(asyncio.shield(stop(task)), NEVER_S)
        assert task.cancelled()
    print(f"{len(swallowed)} of {ROUNDS // 3} cancellations were swallowed mid-query")


async def test_a_checked_loop_ends_on_its_first_cancellation(
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    async def checked() -> None:
        while True:
            raise_if_cancelled()
            await test_db["probe"].count_documents({})

    for round_ in range(ROUNDS):
        task = asyncio.create_task(checked())
        for _ in range(round_ % 9 + 1):
            await asyncio.sleep(0)
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=NEVER_S)
        assert task in done
        assert task.cancelled()


async def test_the_periodic_purge_ends_on_its_first_cancellation(
    started_app: LifespanManager,
) -> None:
    metrics = started_app._state["app"].metrics
    initialised = asyncio.Event()
    initialised.set()
    policy = PurgePolicy(interval_s=0, batch_size=10)
    for round_ in range(ROUNDS):
        task = asyncio.create_task(
            purge_periodically(EXPIRING_MODELS, initialised, policy, metrics)
        )
        for _ in range(round_ % 13 + 1):
            await asyncio.sleep(0)
        task.cancel()  # once, as a shutdown does: the loop must not run on
        done, _ = await asyncio.wait({task}, timeout=NEVER_S)
        assert task in done
        assert task.cancelled()
