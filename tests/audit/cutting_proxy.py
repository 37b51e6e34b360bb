"""A TCP proxy in front of a real database that cuts the connection instead of passing on
chosen commands: those commands never reach the database, every other one does."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from tests.fault_proxy import _command, _read_message


class CommandCuttingProxy:
    """Forwards everything between clients and `upstream`, except that while `cut` is set
    a command `select` picks closes its connection unsent (the database never sees it)."""

    def __init__(self, upstream: tuple[str, int], select: Callable[[dict[str, Any]], bool]):
        self.upstream = upstream
        self.select = select
        self.cut = False
        self.cuts = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> str:
        """Listen on a free loopback port; return the MongoDB URL that goes through it."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"mongodb://127.0.0.1:{port}/?directConnection=true"

    async def close(self) -> None:
        """Stop listening and cut every proxied connection."""
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _serve(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter):
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        server_in, server_out = await asyncio.open_connection(*self.upstream)

        async def requests() -> None:
            while (message := await _read_message(client_in)) is not None:
                command = _command(message)
                if self.cut and command is not None and self.select(command):
                    self.cuts += 1
                    return  # both sides are closed below, the command unsent
                server_out.write(message)
                await server_out.drain()

        async def replies() -> None:
            while (message := await _read_message(server_in)) is not None:
                client_out.write(message)
                await client_out.drain()

        try:
            pumps = [asyncio.create_task(requests()), asyncio.create_task(replies())]
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
        finally:
            for writer in (client_out, server_out):
                writer.close()
            self._tasks.discard(task)
