"""The shared counter store (Redis) behind the limits, and when it counts as down.

Each hit is one `EVAL` of a small script (INCR, PEXPIRE on a window's first hit, PTTL):
one round trip answers both the count and when the window resets. Commands go through
one pipelined connection per worker (`redis_pipe.py`), so a burst queues on the socket
instead of waiting for pooled connections.

Slowness is not an outage. A hit waits for its reply however busy the event loop or the
store is; the store is judged stalled only when it has sent nothing at all for
`timeout_s` while it owes replies, seen at two watchdog checks with the loop's I/O
polled between them (so a lagging event loop, whose unread replies sit in the socket,
is never mistaken for a dead store). A refused or failed connect, a lost connection, a
stall or an error reply is one failure; after `failures` in a row the store is down:
it is left alone for `retry_s` and the limiter decides locally (see `limiter.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import structlog

from service.ratelimit.redis_pipe import ProtocolError, RedisPipe, ReplyError, encode

log = structlog.get_logger(__name__)

_HIT = b"""local n = redis.call('INCR', KEYS[1])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); t = tonumber(ARGV[1]) end
return {n, t}"""
_HIT_HEAD = b"*5\r\n$4\r\nEVAL\r\n$%d\r\n%s\r\n$1\r\n1\r\n" % (len(_HIT), _HIT)
_FAILURES = (OSError, TimeoutError, ProtocolError, ReplyError)


class StoreUnavailable(Exception):
    """The store did not count this hit: refused, lost, stalled, or down for now."""


class RedisStore:
    """Fixed-window hits in Redis through one pipelined connection, with a circuit breaker."""

    def __init__(self, url: str, *, timeout_s: float, failures: int, retry_s: float) -> None:
        self.url = url
        self.timeout_s = timeout_s
        self.failures_to_open = failures
        self.retry_s = retry_s
        self._pipe: RedisPipe | None = None
        self._connecting: asyncio.Future[RedisPipe] | None = None
        self._failures = 0
        self._open_until = 0.0
        self._down = False
        self._suspect: float | None = None
        self._watchdog: asyncio.TimerHandle | None = None
        self._tails: dict[int, bytes] = {}

    async def open(self) -> None:
        """Start the watchdog and try to connect (a store down at start-up is not fatal)."""
        self._watchdog = asyncio.get_running_loop().call_later(self.timeout_s / 2, self._watch)
        with contextlib.suppress(StoreUnavailable):
            await self._connected()

    async def close(self) -> None:
        """Stop the watchdog and close the connection."""
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        if self._pipe is not None:
            self._pipe.abort(ConnectionError("store closed"))
            self._pipe = None

    async def hit(self, key: bytes, window_ms: int) -> tuple[int, int]:
        """Count one hit on `key`: the window's count so far and its milliseconds left."""
        pipe = self._pipe
        if pipe is None or pipe.lost is not None or time.monotonic() < self._open_until:
            pipe = await self._connected()
        try:
            reply = await pipe.call(self.command(key, window_ms))
        except _FAILURES as exc:
            self._failed(exc, pipe)
            raise StoreUnavailable(str(exc)) from exc
        if isinstance(reply, ReplyError):
            self._failed(reply, pipe)
            raise StoreUnavailable(str(reply)) from reply
        if self._failures:
            self._recovered()
        count, ttl_ms = reply
        return int(count), int(ttl_ms)

    def command(self, key: bytes, window_ms: int) -> bytes:
        """The hit's command on the wire."""
        tail = self._tails.get(window_ms)
        if tail is None:  # the script's ARGV[1], encoded once per window length
            arg = b"%d" % window_ms
            tail = self._tails.setdefault(window_ms, b"$%d\r\n%s\r\n" % (len(arg), arg))
        return b"%s$%d\r\n%s\r\n%s" % (_HIT_HEAD, len(key), key, tail)

    async def _connected(self) -> RedisPipe:
        if time.monotonic() < self._open_until:
            raise StoreUnavailable("the store is down; not tried until the retry delay ends")
        if self._pipe is not None and self._pipe.lost is None:
            return self._pipe
        if self._connecting is None:
            self._connecting = asyncio.ensure_future(self._connect())
        try:
            return await asyncio.shield(self._connecting)
        except _FAILURES as exc:
            raise StoreUnavailable(str(exc)) from exc

    async def _connect(self) -> RedisPipe:
        loop = asyncio.get_running_loop()
        target = urlsplit(self.url)
        try:
            async with asyncio.timeout(self.timeout_s):
                if target.scheme == "unix":
                    _, pipe = await loop.create_unix_connection(RedisPipe, target.path)
                else:
                    tls = ssl.create_default_context() if target.scheme == "rediss" else None
                    _, pipe = await loop.create_connection(
                        RedisPipe, target.hostname or "localhost", target.port or 6379, ssl=tls
                    )
                for command in _handshake(target):
                    reply = await pipe.call(command)
                    if isinstance(reply, ReplyError):
                        pipe.abort(reply)
                        raise reply
        except _FAILURES as exc:
            self._failed(exc, None)
            raise
        finally:
            self._connecting = None
        self._pipe = pipe
        return pipe

    def _watch(self) -> None:
        pipe = self._pipe
        if pipe is not None and pipe.lost is None and pipe.waiting:
            idle = time.monotonic() - pipe.last_progress
            if idle <= self.timeout_s:
                self._suspect = None
            elif self._suspect == pipe.last_progress:  # silent across an I/O poll as well
                pipe.abort(TimeoutError(f"the store sent nothing for {idle:.1f} s"))
            else:
                self._suspect = pipe.last_progress
        self._watchdog = asyncio.get_running_loop().call_later(self.timeout_s / 2, self._watch)

    def _failed(self, exc: BaseException, pipe: RedisPipe | None) -> None:
        if pipe is not None:
            # Every command on a lost connection fails with it: one failure, not one each.
            if pipe.counted:
                return
            pipe.counted = True
        self._failures += 1
        log.debug("ratelimit.store_failure", error=str(exc), in_a_row=self._failures)
        if self._failures < self.failures_to_open:
            return
        self._open_until = time.monotonic() + self.retry_s
        if not self._down:
            self._down = True
            log.warning(
                "ratelimit.store_unavailable",
                error_type=type(exc).__name__,
                failures=self._failures,
                retry_in_s=self.retry_s,
            )

    def _recovered(self) -> None:
        self._failures = 0
        if self._down:
            self._down = False
            log.info("ratelimit.store_recovered")


def _handshake(target: Any) -> list[bytes]:
    """AUTH and SELECT from the URL (`redis://user:password@host:port/db`, `unix://path?db=`)."""
    commands = []
    if target.password:
        password = unquote(target.password).encode()
        user = unquote(target.username).encode() if target.username else None
        commands.append(encode(b"AUTH", user, password) if user else encode(b"AUTH", password))
    db = target.path.strip("/") if target.scheme != "unix" else ""
    db = db or parse_qs(target.query).get("db", ["0"])[0]
    if db not in ("", "0"):
        commands.append(encode(b"SELECT", db.encode()))
    return commands
