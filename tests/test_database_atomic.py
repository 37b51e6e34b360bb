"""The test database applies each single-document write atomically, as MongoDB does.

Every concurrency guarantee of the service (If-Match, single-use refresh tokens, session
revocation) rests on a filtered `find_one_and_update` having exactly one winner. Upstream
FerretDB 1.24 does not give that (it reads, applies the update in Go, then writes by `_id`);
the launcher builds it with `scripts/ferretdb-atomic-writes.patch`. If these tests fail, the
suite is running on a server whose concurrency results would mean nothing.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pymongo import AsyncMongoClient, ReturnDocument

from scripts.localdb import LocalServer

TRIALS = 20
PARALLEL = 10

UNPATCHED = (
    "the database let {winners} of {parallel} guarded updates win: it is not atomic. "
    "An unpatched FerretDB is on PATH or in MONGODB_URL; let scripts/localdb.py build the "
    "patched one (remove `ferretdb` from PATH, unset MONGODB_URL)."
)


@pytest.fixture
async def collection(mongo_server: LocalServer) -> Any:
    """A scratch collection with its own client (its own connection pool)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongo_server.url, maxPoolSize=PARALLEL
    )
    scratch = client["atomicity_probe"]["race"]
    await scratch.delete_many({})
    yield scratch
    await client.drop_database("atomicity_probe")
    await client.close()


async def test_guarded_find_one_and_update_has_one_winner(collection: Any) -> None:
    for trial in range(TRIALS):
        await collection.insert_one({"_id": trial, "version": 0})

        async def bump(doc_id: int = trial) -> bool:
            won = await collection.find_one_and_update(
                {"_id": doc_id, "version": 0},
                {"$inc": {"version": 1}},
                return_document=ReturnDocument.AFTER,
            )
            return won is not None

        winners = sum(await asyncio.gather(*(bump() for _ in range(PARALLEL))))
        assert winners == 1, UNPATCHED.format(winners=winners, parallel=PARALLEL)
        stored = await collection.find_one({"_id": trial})
        assert stored == {"_id": trial, "version": 1}


async def test_guarded_update_one_has_one_winner(collection: Any) -> None:
    for trial in range(TRIALS):
        await collection.insert_one({"_id": trial, "used": False})

        async def claim(doc_id: int = trial) -> int:
            result = await collection.update_one(
                {"_id": doc_id, "used": False}, {"$set": {"used": True}}
            )
            return int(result.modified_count)

        winners = sum(await asyncio.gather(*(claim() for _ in range(PARALLEL))))
        assert winners == 1, UNPATCHED.format(winners=winners, parallel=PARALLEL)


async def test_update_and_delete_of_one_version_never_both_win(collection: Any) -> None:
    for trial in range(TRIALS):
        await collection.insert_one({"_id": trial, "version": 0})

        async def update(doc_id: int = trial) -> bool:
            won = await collection.find_one_and_update(
                {"_id": doc_id, "version": 0}, {"$inc": {"version": 1}}
            )
            return won is not None

        async def delete(doc_id: int = trial) -> bool:
            result = await collection.delete_one({"_id": doc_id, "version": 0})
            return bool(result.deleted_count)

        outcomes = await asyncio.gather(*(update() if i % 2 else delete() for i in range(PARALLEL)))
        assert sum(outcomes) == 1, UNPATCHED.format(winners=sum(outcomes), parallel=PARALLEL)
