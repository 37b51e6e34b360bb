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
from collections.abc import AsyncIterator, Callable, Iterator

import pymongo
from pymongo import _csot  # the deadline pymongo.timeout() sets; no public way to extend it


def request_deadline(timeout_s: float) -> Callable[[], AsyncIterator[None]]:
    """A dependency that runs the rest of the request under a `timeout_s` database deadline."""

    async def database_deadline() -> AsyncIterator[None]:
        with pymongo.timeout(timeout_s):
            yield

    return database_deadline


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
