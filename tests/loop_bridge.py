"""Serve the suite's started app to synchronous, threaded clients such as schemathesis.

The app, its MongoDB client and Beanie's model bindings all live on the suite's session
event loop (an `AsyncMongoClient` refuses any other loop). Schemathesis drives Hypothesis
synchronously and sends each request from an event loop of its own, in another thread.
`LoopBridge` is the ASGI app schemathesis is given: it runs each request on the session
loop, which is idle while a synchronous test runs, for exactly as long as the request
takes (`run_on`). Between requests the loop stays idle, as it is between tests, so the
app's background work never runs while Hypothesis generates data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.fuzz_stats import COUNTS

T = TypeVar("T")


def run_on(loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to completion on the idle `loop`, from any thread.

    A helper thread drives the loop, since the calling thread may be running a loop of its
    own. Should the loop not be idle, `run_until_complete` refuses loudly.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="session-loop") as pool:
        return pool.submit(loop.run_until_complete, coroutine).result(timeout=120)


class LoopBridge:
    """An ASGI app that runs every HTTP request of `app` on `loop`.

    The request body is read in full first and the response messages are collected and
    replayed: every body here is small, and it keeps the two loops from waiting on each
    other. The lifespan is acknowledged here; the real one is run by the suite's fixtures.
    """

    def __init__(self, app: ASGIApp, loop: asyncio.AbstractEventLoop) -> None:
        self.app = app
        self.loop = loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Relay one ASGI connection."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        COUNTS["requests"] += 1
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        served = self._serve(dict(scope), bytes(body))
        for message in await asyncio.to_thread(run_on, self.loop, served):
            await send(message)

    async def _serve(self, scope: Scope, body: bytes) -> list[Message]:
        sent: list[Message] = []
        delivered = False
        finished = asyncio.Event()

        async def receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            await finished.wait()
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                finished.set()

        await self.app(scope, receive, send)
        return sent
