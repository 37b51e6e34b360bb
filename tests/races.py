"""Helpers for concurrency tests: fire N requests at once and count the outcomes."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

import httpx

TRIALS = 5
PARALLEL = 10


async def race(
    parallel: int, request: Callable[[int], Awaitable[httpx.Response]]
) -> tuple[Counter[int], list[httpx.Response]]:
    """Start `parallel` requests together; return the count of each status and the answers."""
    start = asyncio.Event()

    async def one(i: int) -> httpx.Response:
        await start.wait()  # every request is created before any is sent
        return await request(i)

    tasks = [asyncio.create_task(one(i)) for i in range(parallel)]
    await asyncio.sleep(0)
    start.set()
    responses = await asyncio.gather(*tasks)
    return Counter(r.status_code for r in responses), list(responses)
