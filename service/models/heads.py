"""One head document per model name: its version counter and its active version.

A `ModelHead`: `{_id: name, next: <last allocated version>, active: <version or null>}`.
Keeping both on
one document makes each change a single atomic update: `$inc` hands parallel uploads
distinct consecutive numbers (never reused after a delete, so a number always means the
same bytes), and the active version is one field, so it cannot be two versions at once.
"""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from service.models.documents import ModelHead


def _heads() -> AsyncCollection[dict[str, Any]]:
    # Raw updates for the atomic `$inc` and conditional `$set`; only ints leave this module.
    return ModelHead.get_pymongo_collection()


async def next_version(name: str) -> int:
    """Allocate the next version number of `name`."""
    for _ in range(3):  # two first uploads can race on the upsert's insert; one retry wins
        try:
            head = await _heads().find_one_and_update(
                {"_id": name},
                {"$inc": {"next": 1}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            continue
        if head is not None:  # always, with upsert and AFTER
            return int(head["next"])
    raise RuntimeError(f"could not allocate a version of {name!r}")  # pragma: no cover


async def active_versions() -> dict[str, int]:
    """The active version of every model that has one."""
    cursor = _heads().find({"active": {"$ne": None}}, {"active": 1})
    return {head["_id"]: int(head["active"]) async for head in cursor}


async def active_version(name: str) -> int | None:
    """The active version of `name`, or None."""
    head = await _heads().find_one({"_id": name}, {"active": 1})
    active = None if head is None else head.get("active")
    return None if active is None else int(active)


async def activate(name: str, version: int, *, only_if_none: bool = False) -> bool:
    """Make `version` the active one (with `only_if_none`, only when none is); say if it is."""
    query: dict[str, object] = {"_id": name}
    if only_if_none:
        query["active"] = None
    result = await _heads().update_one(query, {"$set": {"active": version}})
    return result.matched_count == 1


async def deactivate(name: str, version: int) -> None:
    """Clear the active version if it is `version` (a newer activation is left alone)."""
    await _heads().update_one({"_id": name, "active": version}, {"$set": {"active": None}})


async def release_version(name: str, version: int) -> None:
    """Give back `version` after its upload failed, if no later number was handed out since.

    A later upload that already took `version + 1` keeps its number; the gap then stays,
    as numbers are never reused for other bytes.
    """
    await _heads().update_one({"_id": name, "next": version}, {"$inc": {"next": -1}})
