"""A TCP proxy in front of a real database that loses the replies to chosen commands.

The command still reaches the database and is applied; only its answer never comes back:
the "a write that answered 503 was in fact stored" case, made to happen on purpose.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import Callable
from typing import Any

import bson

OP_MSG = 2013
_HEADER = struct.Struct("<iiii")  # messageLength, requestID, responseTo, opCode


async def _read_message(reader: asyncio.StreamReader) -> bytes | None:
    try:
        head = await reader.readexactly(4)
        (length,) = struct.unpack("<i", head)
        return head + await reader.readexactly(length - 4)
    except (asyncio.IncompleteReadError, ConnectionError):
        return None


def _command(message: bytes) -> dict[str, Any] | None:
    """The command document of an OP_MSG (its first, kind-0 section)."""
    if _HEADER.unpack_from(message)[3] != OP_MSG or message[20] != 0:
        return None
    (size,) = struct.unpack_from("<i", message, 21)
    return bson.decode(message[21 : 21 + size])


class ReplyLosingProxy:
    """Forwards everything between clients and `upstream`; loses the replies to the next
    `lose` commands that `select` picks."""

    def __init__(self, upstream: tuple[str, int], select: Callable[[dict[str, Any]], bool]):
        self.upstream = upstream
        self.select = select
        self.lose = 0
        self.lost = 0
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
        unanswered: set[int] = set()

        async def requests() -> None:
            while (message := await _read_message(client_in)) is not None:
                command = _command(message)
                if self.lose and command is not None and self.select(command):
                    self.lose -= 1
                    unanswered.add(_HEADER.unpack_from(message)[1])
                server_out.write(message)
                await server_out.drain()

        async def replies() -> None:
            while (message := await _read_message(server_in)) is not None:
                if _HEADER.unpack_from(message)[2] in unanswered:
                    self.lost += 1
                    continue
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
