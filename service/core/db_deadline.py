"""One database deadline per request, so a frozen database cannot hold a request open.

PyMongo's client-side operation timeout (CSOT) applies one deadline to every operation
in a `pymongo.timeout()` block: server selection, connection checkout, the round trips
and the driver's own retries. Entered by an app-wide dependency, it starts before any
other dependency (after FastAPI has read a declared body, so a slow upload does not
spend it; `POST /users` parses its own body inside it) and covers everything the
request asks of MongoDB. When it runs out, the operation raises a timeout error, which
`service.core.errors` answers with a 503 `database-unavailable`.

Work that is not the database's (waiting for a hashing or decoding slot, then hashing or
decoding) runs `outside_database_deadline`: the time it took is given back, so a busy
worker answers its own 503 `worker-busy` (`service.core.admission`) and never spends the
database's budget into a misleading `database-unavailable`.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Awaitable, Callable, Iterator

import pymongo
from pymongo import _csot  # the deadline pymongo.timeout() sets; no public way to extend it


def request_deadline(timeout_s: float) -> Callable[[], Awaitable[None]]:
    """A dependency that runs the rest of the request under a `timeout_s` database deadline.

    A plain dependency that sets the deadline and leaves it set, rather than a generator
    that would also undo it: the framework wraps each generator dependency in shielded
    context managers, a cost on every request. Undoing it is `database_deadline_scope`'s
    job, entered around the whole app by the service middleware.
    """

    async def database_deadline() -> None:
        pymongo.timeout(timeout_s).__enter__()

    return database_deadline


@contextlib.contextmanager
def database_deadline_scope() -> Iterator[None]:
    """Whatever database deadline is set inside this block is gone after it.

    Resetting a context variable restores the value it had before the matching `set`,
    whatever was set in between: a request's deadline never outlives the request, even
    where the caller's task runs the app itself (an in-process test client).
    """
    tokens = (
        _csot.TIMEOUT.set(_csot.TIMEOUT.get()),
        _csot.DEADLINE.set(_csot.DEADLINE.get()),
        _csot.RTT.set(_csot.RTT.get()),
    )
    try:
        yield
    finally:
        _csot.TIMEOUT.reset(tokens[0])
        _csot.DEADLINE.reset(tokens[1])
        _csot.RTT.reset(tokens[2])


@contextlib.contextmanager
def outside_database_deadline() -> Iterator[None]:
    """Run a block whose time does not count against the request's database deadline."""
    started = time.monotonic()
    try:
        yield
    finally:
        deadline = _csot.get_deadline()
        if math.isfinite(deadline):  # inside a `pymongo.timeout()` block
            # Set in the request's own context: the enclosing `pymongo.timeout()` resets it.
            _csot.DEADLINE.set(deadline + (time.monotonic() - started))
