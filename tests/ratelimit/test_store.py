"""The Redis store itself: a busy event loop is not a silent store; the memory store's windows."""

from __future__ import annotations

import asyncio
import select
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable

import pytest
import redis
import uvloop

from scripts.localredis import LocalRedis
from scripts.processes import free_port
from service.ratelimit.memory_store import MemoryStore
from service.ratelimit.store import RedisStore, StoreUnavailable

HITS = 50


async def _lagging_hits(url: str) -> tuple[list[int], int]:
    # One failure would open the circuit at once: a false stall cannot hide here.
    store = RedisStore(url, timeout_s=0.05, failures=1, retry_s=60)
    await store.open()
    pipe = store._pipe
    assert pipe is not None
    command = store.command(f"test-lag-{uuid.uuid4().hex}".encode(), 60_000)
    redis_socket = pipe._transport.get_extra_info("socket")  # type: ignore[union-attr]
    hits: list[asyncio.Future[list[int]]] = []
    blocked = asyncio.get_running_loop().create_future()

    class BusyHandler(asyncio.Protocol):
        """Request work that holds the event loop, run from the loop's I/O phase."""

        def data_received(self, data: bytes) -> None:
            hits.extend(pipe.call(command) for _ in range(HITS))
            pipe._flush()
            select.select([redis_socket.fileno()], [], [], 30)  # the replies are in
            # Blocked for 8 times the timeout: the watchdog is overdue when the loop
            # comes back, and the store was not silent, only unread.
            time.sleep(0.4)
            blocked.set_result(None)

    ours, theirs = socket.socketpair()
    try:
        await asyncio.get_running_loop().create_connection(BusyHandler, sock=ours)
        theirs.send(b"go")
        await blocked
        counts = sorted(count for count, _ in await asyncio.gather(*hits))
    finally:
        theirs.close()
        await store.close()
    return counts, store._failures


@pytest.mark.parametrize(
    "new_loop", [asyncio.new_event_loop, uvloop.new_event_loop], ids=["asyncio", "uvloop"]
)
def test_hits_waiting_behind_a_blocked_event_loop_are_all_counted(
    redis_server: LocalRedis, new_loop: Callable[[], asyncio.AbstractEventLoop]
) -> None:
    # uvloop (what uvicorn runs) fires due timers before it polls for I/O: after a block
    # in the I/O phase, the watchdog runs first, with the replies still unread.
    with asyncio.Runner(loop_factory=new_loop) as runner:
        counts, failures = runner.run(_lagging_hits(redis_server.url))
    assert counts == list(range(1, HITS + 1))
    assert failures == 0


async def test_a_silent_store_fails_the_hits_it_owes_and_opens_the_circuit(
    redis_server: LocalRedis,
) -> None:
    # A listening socket that accepts and never answers: a frozen store.
    accepted: list[asyncio.StreamWriter] = []
    server = await asyncio.start_server(lambda _, w: accepted.append(w), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    store = RedisStore(f"redis://127.0.0.1:{port}/0", timeout_s=0.05, failures=2, retry_s=60)
    await store.open()
    try:
        outcomes = await asyncio.gather(
            *(store.hit(b"k", 60_000) for _ in range(10)), return_exceptions=True
        )
        assert all(isinstance(o, StoreUnavailable) for o in outcomes), outcomes
        assert store._failures == 1  # one stalled connection is one failure, not ten
        again = await asyncio.gather(store.hit(b"k", 60_000), return_exceptions=True)
        assert isinstance(again[0], StoreUnavailable)
        assert store._failures == 2
        skipped = await asyncio.gather(store.hit(b"k", 60_000), return_exceptions=True)
        assert isinstance(skipped[0], StoreUnavailable)
        assert "down" in str(skipped[0])  # not tried: the circuit is open
    finally:
        await store.close()
        for writer in accepted:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_the_memory_store_counts_fixed_windows() -> None:
    store = MemoryStore()
    assert [await store.hit(b"a", 60_000) for _ in range(3)][-1][0] == 3
    assert (await store.hit(b"b", 60_000))[0] == 1
    count, left_ms = await store.hit(b"short", 1)
    assert count == 1
    assert 0 < left_ms <= 1
    await asyncio.sleep(0.01)  # past the 1 ms window: a new one starts
    assert (await store.hit(b"short", 1))[0] == 1


async def test_the_database_named_in_the_url_holds_the_counts(redis_server: LocalRedis) -> None:
    url = redis_server.url.rsplit("/", 1)[0] + "/5"
    store = RedisStore(url, timeout_s=1, failures=1, retry_s=60)
    await store.open()
    key = f"test-db-{uuid.uuid4().hex}"
    try:
        assert (await store.hit(key.encode(), 60_000))[0] == 1
        assert (await store.hit(key.encode(), 60_000))[0] == 2
    finally:
        await store.close()
    # Read back with another client (redis-py), per database.
    with redis.Redis.from_url(url) as db5, redis.Redis.from_url(redis_server.url) as db0:
        assert db5.get(key) == b"2"
        assert 0 < db5.pttl(key) <= 60_000
        assert db0.get(key) is None


def test_a_password_in_the_url_authenticates_and_a_wrong_one_is_a_failure() -> None:
    port = free_port()
    password = "test-only-redis-password"
    command = [shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1"]
    command += ["--port", str(port), "--save", "", "--appendonly", "no"]
    server = subprocess.Popen(
        [*command, "--requirepass", password],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with redis.Redis(port=port, password=password) as ready:
            deadline = time.monotonic() + 120  # a cap against a hung start, not an expectation
            while True:
                try:
                    ready.ping()
                    break
                except redis.ConnectionError:
                    assert time.monotonic() < deadline, "redis-server did not start"
                    time.sleep(0.05)

        async def first_hit(url: str) -> tuple[int, int] | StoreUnavailable:
            # Two failures to open the circuit: the one at start-up, and this hit's.
            # A timeout a loaded machine meets: only the answers (OK, WRONGPASS, NOAUTH) decide.
            store = RedisStore(url, timeout_s=10, failures=2, retry_s=60)
            await store.open()
            try:
                return await store.hit(b"k", 60_000)
            except StoreUnavailable as exc:
                return exc
            finally:
                await store.close()

        good = asyncio.run(first_hit(f"redis://:{password}@127.0.0.1:{port}/0"))
        assert not isinstance(good, StoreUnavailable)
        assert good[0] == 1
        assert 0 < good[1] <= 60_000
        wrong = asyncio.run(first_hit(f"redis://:wrong-password@127.0.0.1:{port}/0"))
        assert isinstance(wrong, StoreUnavailable)
        assert "WRONGPASS" in str(wrong) or "invalid" in str(wrong)
        missing = asyncio.run(first_hit(f"redis://127.0.0.1:{port}/0"))
        assert isinstance(missing, StoreUnavailable)
        assert "NOAUTH" in str(missing)
    finally:
        server.terminate()
        server.wait(timeout=10)
