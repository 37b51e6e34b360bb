"""Load `seed_data/users.json` into MongoDB; loading again adds nobody twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from bson import json_util

from service.core.config import Settings
from service.core.database import create_client, ensure_indexes
from service.users.models import User
from service.users.repository import SeedOutcome, insert_seed_user

log = structlog.get_logger(__name__)

SEED_FILE = Path(__file__).resolve().parents[2] / "seed_data" / "users.json"


@dataclass
class SeedReport:
    """What a seeding run did: how many users it inserted and which it had to skip."""

    inserted: int = 0
    # Seed users whose username (or a look-alike) or email another stored user holds.
    skipped: list[str] = field(default_factory=list)


def read_seed_users(path: Path = SEED_FILE) -> list[dict[str, Any]]:
    """Parse the seed file (MongoDB Extended JSON, so dates and ids keep their types)."""
    users: list[dict[str, Any]] = json_util.loads(path.read_text(encoding="utf-8"))
    return users


async def load_seed_users(settings: Settings, path: Path = SEED_FILE) -> SeedReport:
    """Insert every seed user that is not there yet, skipping those whose names are taken.

    Upserting on `_id` with `$setOnInsert` never overwrites a user someone has since
    changed, and a second run matches everything and inserts nothing. One write per user
    rather than one bulk write: a clash then skips that user alone, and the result never
    depends on the bulk-result fields FerretDB leaves out (`nModified`).
    """
    report = SeedReport()
    client = create_client(settings)
    try:
        database = client[settings.mongodb_db]
        # Indexes first, so seeding an empty database still gets its unique constraints.
        await ensure_indexes(database, User)
        users = database[User.Settings.name]
        for user in read_seed_users(path):
            outcome = await insert_seed_user(users, user)
            if outcome is SeedOutcome.TAKEN:
                report.skipped.append(user["username"])
            report.inserted += outcome is SeedOutcome.INSERTED
    finally:
        await client.close()
    log.info("seed.loaded", inserted=report.inserted, skipped=report.skipped)
    return report


async def seed_users(settings: Settings, path: Path = SEED_FILE) -> int:
    """Load the seed users (see `load_seed_users`); return how many were inserted."""
    return (await load_seed_users(settings, path)).inserted
