"""One pipelined Redis connection: commands queue on the socket, replies resolve in order.

The limiter sends one command per request. A connection pool would make a burst wait
for a free connection (and time out waiting, which is not an outage); here every
command is written at once (the writes of one event-loop turn in one `send`), and the
replies come back in order, each resolving the oldest waiting future. Nothing is ever
cancelled on the wire, so a late reply cannot be mistaken for another command's.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any


class ProtocolError(Exception):
    """The store answered something this client does not understand."""


class ReplyError(Exception):
    """The store answered a command with an error (`-ERR ...`)."""


def encode(*parts: bytes) -> bytes:
    """A command in RESP: an array of bulk strings."""
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        out.append(b"$%d\r\n%s\r\n" % (len(part), part))
    return b"".join(out)


class _Incomplete(Exception):
    pass


def _parse(buf: bytearray, pos: int) -> tuple[Any, int]:
    end = buf.find(b"\r\n", pos)
    if end < 0:
        raise _Incomplete
    kind, line = buf[pos], bytes(buf[pos + 1 : end])
    pos = end + 2
    if kind == 0x3A:  # ':' integer
        return int(line), pos
    if kind == 0x2A:  # '*' array
        items = []
        for _ in range(int(line)):
            item, pos = _parse(buf, pos)
            items.append(item)
        return items, pos
    if kind == 0x2B:  # '+' simple string
        return line, pos
    if kind == 0x2D:  # '-' error
        return ReplyError(line.decode("utf-8", "replace")), pos
    if kind == 0x24:  # '$' bulk string
        size = int(line)
        if size < 0:
            return None, pos
        if len(buf) < pos + size + 2:
            raise _Incomplete
        return bytes(buf[pos : pos + size]), pos + size + 2
    raise ProtocolError(f"unexpected reply type {chr(kind)!r}")


class RedisPipe(asyncio.Protocol):
    """The client side of one connection; `call` returns a future of the reply."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.waiting: deque[asyncio.Future[Any]] = deque()
        self.last_progress = time.monotonic()
        self.lost: Exception | None = None
        self.counted = False  # whether its loss was counted as a store failure
        self._transport: asyncio.Transport | None = None
        self._out: list[bytes] = []
        self._buf = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport to write to."""
        self._transport = transport  # type: ignore[assignment]  # a stream transport

    def call(self, command: bytes) -> asyncio.Future[Any]:
        """Queue `command`; the future resolves with its reply (a ReplyError is returned)."""
        if self.lost is not None:
            raise self.lost
        future = self.loop.create_future()
        if not self.waiting:
            self.last_progress = time.monotonic()  # the store owes nothing until now
        self.waiting.append(future)
        if not self._out:
            self.loop.call_soon(self._flush)
        self._out.append(command)
        return future

    def _flush(self) -> None:
        if self._transport is not None and self.lost is None:
            self._transport.write(b"".join(self._out))
        self._out.clear()

    def data_received(self, data: bytes) -> None:
        """Resolve the oldest waiting futures with the complete replies received."""
        self.last_progress = time.monotonic()
        buf = self._buf
        buf += data
        pos = 0
        try:
            while pos < len(buf):
                reply, pos = _parse(buf, pos)
                future = self.waiting.popleft()
                if not future.done():
                    future.set_result(reply)
        except _Incomplete:
            pass
        except (ProtocolError, ValueError, IndexError) as exc:
            self.abort(ProtocolError(f"unreadable reply: {exc}"))
            return
        del buf[:pos]

    def abort(self, reason: Exception) -> None:
        """Drop the connection and fail every waiting command with `reason`."""
        self._fail(reason)
        if self._transport is not None:
            self._transport.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        """Fail every waiting command: their replies will never come."""
        self._fail(ConnectionError(f"connection to the store lost: {exc or 'closed'}"))

    def _fail(self, reason: Exception) -> None:
        if self.lost is None:
            self.lost = reason
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_exception(reason)
