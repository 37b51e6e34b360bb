"""Load `seed_data/users.json` into MongoDB; loading again adds nobody twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import structlog
from bson import json_util
from pymongo import UpdateOne

from service.config import Settings
from service.db import create_client, ensure_indexes
from service.users.models import User

log = structlog.get_logger(__name__)

SEED_FILE = Path(__file__).resolve().parent.parent / "seed_data" / "users.json"


def read_seed_users(path: Path = SEED_FILE) -> list[dict[str, Any]]:
    """Parse the seed file (MongoDB Extended JSON, so dates and ids keep their types)."""
    users: list[dict[str, Any]] = json_util.loads(path.read_text(encoding="utf-8"))
    return users


async def seed_users(settings: Settings, path: Path = SEED_FILE) -> int:
    """Insert every seed user that is not there yet; return how many were inserted.

    Upserting on `_id` with `$setOnInsert` never overwrites a user someone has since
    changed, and a second run matches everything and inserts nothing.
    """
    users = read_seed_users(path)
    client = create_client(settings)
    try:
        database = client[settings.mongodb_db]
        # Indexes first, so seeding an empty database still gets its unique constraints.
        await ensure_indexes(database, User)
        result = await database["users"].bulk_write(
            [
                UpdateOne({"_id": user["_id"]}, {"$setOnInsert": user}, upsert=True)
                for user in users
            ],
            ordered=False,
        )
    finally:
        await client.close()
    log.info("seed.loaded", inserted=result.upserted_count, total=len(users))
    return result.upserted_count
