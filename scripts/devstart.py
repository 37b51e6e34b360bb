"""Prepare the development database for `make run`: seed and train only what is missing.

Two cheap reads decide: an empty `users` collection gets the seed users, and a database
without the iris model gets one trained and stored. A database that has both (every run
after the first) costs two round trips, so a second `make run` starts at once.

    python scripts/devstart.py        # MONGODB_URL and MONGODB_DB as the service reads them
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Run as `python scripts/devstart.py` as well as imported from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.step_timings import timed_step

REPO_ROOT = Path(__file__).resolve().parent.parent
# The service's defaults (service/config.py); the collection names of its documents.
DEFAULT_DB = "users_service"
USERS, MODEL_VERSIONS, IRIS = "users", "model_versions", "iris"


def missing_steps(url: str, database: str) -> list[str]:
    """Which of `seed` and `train` this database still needs."""
    from pymongo import MongoClient

    client: MongoClient[dict[str, object]] = MongoClient(url, serverSelectionTimeoutMS=10_000)
    try:
        db = client[database]
        steps = []
        if db[USERS].find_one({}, {"_id": 1}) is None:
            steps.append("seed")
        if db[MODEL_VERSIONS].find_one({"name": IRIS}, {"_id": 1}) is None:
            steps.append("train")
        return steps
    finally:
        client.close()


def main() -> int:
    """Seed and/or train as needed; the service's own commands do the work."""
    url = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017")
    steps = missing_steps(url, os.environ.get("MONGODB_DB", DEFAULT_DB))
    if not steps:
        print("devstart: seed users and the iris model are in place", file=sys.stderr)
    what = {
        "seed": ("loading the seed users", "a few seconds"),
        "train": ("training and storing the iris model", "about a minute"),
    }
    for step in steps:
        doing, first_time = what[step]
        with timed_step(step, doing, first_time, prefix="devstart"):
            result = subprocess.run([sys.executable, "-m", "service", step], cwd=REPO_ROOT)
        if result.returncode != 0:
            return result.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
