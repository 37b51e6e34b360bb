"""Variant D of the benchmark: the service's queries through the raw driver, in-process.

    python -m bench.driver get|list50|q|post --seconds 4 --concurrency 16

Prints one JSON object: operations, seconds, CPU seconds of this process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import time
from datetime import UTC, datetime
from typing import Any

import uvloop
from bson import ObjectId
from pymongo import DESCENDING, AsyncMongoClient


async def _run(
    kind: str, seconds: float, concurrency: int, user_id: str, prefix: str
) -> dict[str, Any]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        os.environ["MONGODB_URL"], tz_aware=True, tzinfo=UTC
    )
    users = client[os.environ["MONGODB_DB"]]["users"]
    inserts = client[os.environ["MONGODB_DB"]]["driver_inserts"]
    sort = [("created_at", DESCENDING), ("_id", DESCENDING)]
    regex = {"$regex": "^" + re.escape(prefix)}
    q_filter = {"$or": [{"username": regex}, {"email": regex}, {"name_lower": regex}]}
    counter = 0

    async def one() -> None:
        nonlocal counter
        if kind == "get":
            await users.find_one({"_id": ObjectId(user_id)})
        elif kind == "list50":
            await users.find({}).sort(sort).limit(51).to_list()
        elif kind == "q":
            await users.find(q_filter).sort(sort).limit(21).to_list()
        else:
            # A collection of its own: thousands of inserts into `users` would slow every
            # later list query (FerretDB scans) and skew the rounds that follow.
            now = datetime.now(UTC)
            await inserts.insert_one(
                {
                    "username": f"d{os.getpid()}-{counter}-{time.time_ns()}",
                    "email": f"d{time.time_ns()}@example.com",
                    "created_at": now,
                }
            )

    async def worker(deadline: float) -> None:
        nonlocal counter
        while time.monotonic() < deadline:
            await one()
            counter += 1

    await users.find_one({})  # connect outside the measurement
    deadline = time.monotonic() + seconds
    cpu_before, wall_before = time.process_time(), time.monotonic()
    await asyncio.gather(*(worker(deadline) for _ in range(concurrency)))
    cpu, wall = time.process_time() - cpu_before, time.monotonic() - wall_before
    await client.close()
    return {"operations": counter, "seconds": wall, "cpu_seconds": cpu}


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["get", "list50", "q", "post"])
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--user-id", default="")
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()
    result = uvloop.run(_run(args.kind, args.seconds, args.concurrency, args.user_id, args.prefix))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
