"""Where avatar bytes live: a small protocol, and its GridFS implementation (S3: `s3.py`)."""

from __future__ import annotations

import contextlib
from typing import Any, Protocol

from bson import ObjectId
from bson.errors import InvalidId
from gridfs import AsyncGridFSBucket
from gridfs.errors import NoFile
from pymongo.asynchronous.database import AsyncDatabase


class AvatarStorage(Protocol):
    """Stores one blob per owner; another backend (S3, disk) only has to provide these."""

    async def put(self, owner: str, data: bytes, media_type: str) -> str:
        """Store `data` for `owner`; return the new blob's id."""
        ...

    async def get(self, blob_id: str) -> bytes | None:
        """The blob's bytes, or None when it is gone."""
        ...

    async def delete(self, blob_id: str) -> None:
        """Delete one blob; one already gone is not an error."""
        ...

    async def delete_for_owner(self, owner: str) -> int:
        """Delete every blob of the owner; return how many went."""
        ...

    async def check(self) -> None:
        """Raise if the store cannot be reached (used by readiness)."""
        ...


class GridFSAvatarStorage:
    """Avatars in a GridFS bucket (`avatars.files` / `avatars.chunks`), named by owner id."""

    def __init__(self, database: AsyncDatabase[Any], bucket_name: str = "avatars") -> None:
        self._bucket = AsyncGridFSBucket(database, bucket_name=bucket_name)

    async def put(self, owner: str, data: bytes, media_type: str) -> str:
        """Upload one blob; chunks are written before the file document, as GridFS does."""
        blob_id = await self._bucket.upload_from_stream(
            owner, data, metadata={"contentType": media_type}
        )
        return str(blob_id)

    async def get(self, blob_id: str) -> bytes | None:
        """Download a blob by id."""
        try:
            stream = await self._bucket.open_download_stream(ObjectId(blob_id))
        except (NoFile, InvalidId):
            return None
        data: bytes = await stream.read()
        return data

    async def delete(self, blob_id: str) -> None:
        """Delete one blob (file and chunks)."""
        with contextlib.suppress(NoFile, InvalidId):  # already gone: the goal is reached
            await self._bucket.delete(ObjectId(blob_id))

    async def check(self) -> None:
        """Nothing of its own to check: GridFS is MongoDB, which readiness pings anyway."""

    async def delete_for_owner(self, owner: str) -> int:
        """Delete every blob named after `owner` (files and chunks)."""
        deleted = 0
        async for grid_out in self._bucket.find({"filename": owner}):
            try:
                await self._bucket.delete(grid_out._id)
            except NoFile:  # deleted concurrently: the goal is reached all the same
                continue
            deleted += 1
        return deleted
