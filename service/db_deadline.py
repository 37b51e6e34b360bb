"""One database deadline per request, so a frozen database cannot hold a request open.

PyMongo's client-side operation timeout (CSOT) applies one deadline to every operation
in a `pymongo.timeout()` block: server selection, connection checkout, the round trips
and the driver's own retries. Entered by an app-wide dependency, it starts before any
other dependency (after FastAPI has read a declared body, so a slow upload does not
spend it; `POST /users` parses its own body inside it) and covers everything the
request asks of MongoDB. When it runs out, the operation raises a timeout error, which
`service.errors` answers with a 503.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pymongo


def request_deadline(timeout_s: float) -> Callable[[], AsyncIterator[None]]:
    """A dependency that runs the rest of the request under a `timeout_s` database deadline."""

    async def database_deadline() -> AsyncIterator[None]:
        with pymongo.timeout(timeout_s):
            yield

    return database_deadline
