"""ONNX files in a GridFS bucket (`onnx_models.files` / `onnx_models.chunks`)."""

from __future__ import annotations

import contextlib
from typing import Any

from bson import ObjectId
from gridfs import AsyncGridFSBucket
from gridfs.errors import NoFile
from pymongo.asynchronous.database import AsyncDatabase

from service.models.errors import ModelNotFound


class ModelStorage:
    """Stores model files by id; names them `<model>` with the digest in metadata."""

    def __init__(self, database: AsyncDatabase[Any], bucket_name: str = "onnx_models") -> None:
        self._bucket = AsyncGridFSBucket(database, bucket_name=bucket_name)

    @staticmethod
    def new_id() -> str:
        """An id for a file about to be stored, known before its first chunk is written."""
        return str(ObjectId())

    async def put(self, name: str, data: bytes, sha256: str, blob_id: str | None = None) -> str:
        """Upload one file (under `blob_id` when given); return its id.

        With the id chosen beforehand, a caller can delete what a failed upload left, its
        chunks included, even when the upload never returned.
        """
        file_id = ObjectId(blob_id) if blob_id is not None else ObjectId()
        await self._bucket.upload_from_stream_with_id(
            file_id, name, data, metadata={"contentType": "application/onnx", "sha256": sha256}
        )
        return str(file_id)

    async def get(self, blob_id: str) -> bytes:
        """The file's bytes; `ModelNotFound` when it was deleted since its version was read."""
        try:
            stream = await self._bucket.open_download_stream(ObjectId(blob_id))
        except NoFile:
            raise ModelNotFound("The model version was deleted meanwhile.") from None
        data: bytes = await stream.read()
        return data

    async def delete(self, blob_id: str) -> None:
        """Delete one file; one already gone is not an error."""
        with contextlib.suppress(NoFile):
            await self._bucket.delete(ObjectId(blob_id))
