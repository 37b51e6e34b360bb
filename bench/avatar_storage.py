"""`python -m bench.avatar_storage`: put + get + delete of one 512 px WebP, GridFS vs S3.

Both on loopback: FerretDB (GridFS) and moto's S3 server, so the figures compare the
clients and protocols, not networks. Prints the median and p90 of 200 round trips each.
"""

from __future__ import annotations

import asyncio
import io
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from PIL import Image
from pymongo import AsyncMongoClient

from scripts.localdb import start_server
from service.avatars.s3 import S3AvatarStorage, S3Location
from service.avatars.storage import AvatarStorage, GridFSAvatarStorage
from tests.s3_server import BUCKET, TEST_CREDENTIALS, create_bucket, running_s3

ROUNDS = 200


def _avatar() -> bytes:
    # Noise over a gradient: about the size of a re-encoded photo (a flat image is ~1 KB).
    image = Image.blend(
        Image.linear_gradient("L").resize((512, 512)), Image.effect_noise((512, 512), 24), 0.3
    ).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=85)
    return out.getvalue()


async def _time(storage: AvatarStorage, data: bytes) -> list[float]:
    timings = []
    for i in range(ROUNDS):
        started = time.perf_counter()
        blob = await storage.put(f"owner{i % 10}", data, "image/webp")
        assert await storage.get(blob) == data
        await storage.delete(blob)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def _measure(label: str, run: Callable[[], Awaitable[list[float]]]) -> None:
    timings = await run()
    p90 = statistics.quantiles(timings, n=10)[-1]
    print(f"{label}: median {statistics.median(timings):.2f} ms, p90 {p90:.2f} ms")


async def main() -> None:
    """Measure both backends and print the table."""
    os.environ.update(TEST_CREDENTIALS)
    data = _avatar()
    print(f"one {len(data)} byte 512x512 WebP; put + get + delete, {ROUNDS} rounds")
    with tempfile.TemporaryDirectory() as scratch:
        server = start_server(Path(scratch) / "db", use_env=False)
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(server.url)
        try:
            gridfs = GridFSAvatarStorage(client["bench_avatars"])
            await _measure("GridFS (FerretDB)", lambda: _time(gridfs, data))
        finally:
            await client.close()
            server.stop()
        with running_s3(Path(scratch) / "moto.log") as s3:
            create_bucket(s3, BUCKET)
            store = S3AvatarStorage(S3Location(BUCKET, endpoint_url=s3.endpoint_url))
            await _measure("S3 (moto, obstore)", lambda: _time(store, data))


if __name__ == "__main__":
    asyncio.run(main())
