"""A bounded load generator: N keep-alive connections from one address, a fixed request count.

Raw HTTP/1.1 over asyncio streams, so the test process spends little CPU per request and
the server, not the client, is what gets loaded. Every connection is open before the
first request is sent; each then sends its share back to back.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from urllib.parse import urlsplit


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = next(
        (
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length:")
        ),
        0,
    )
    await reader.readexactly(length)
    return status


async def flood(
    base_url: str,
    *,
    connections: int,
    per_connection: int,
    method: str,
    path: str,
    body: bytes = b"",
    content_type: str = "application/x-www-form-urlencoded",
) -> Counter[int]:
    """Send `connections * per_connection` requests; the count of each status answered."""
    target = urlsplit(base_url)
    host, port = target.hostname or "127.0.0.1", target.port or 80
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    opened = [await asyncio.open_connection(host, port) for _ in range(connections)]
    start = asyncio.Event()
    statuses: Counter[int] = Counter()

    async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await start.wait()
        for _ in range(per_connection):
            try:
                statuses[await _exchange(reader, writer, request)] += 1
            except (asyncio.IncompleteReadError, ConnectionError):
                writer.close()  # the server closed it: carry on over a new connection
                reader, writer = await asyncio.open_connection(host, port)
        writer.close()

    tasks = [asyncio.create_task(one(r, w)) for r, w in opened]
    await asyncio.sleep(0)
    start.set()
    await asyncio.gather(*tasks)
    return statuses
