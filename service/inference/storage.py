"""ONNX files in a GridFS bucket (`onnx_models.files` / `onnx_models.chunks`)."""

from __future__ import annotations

import contextlib
from typing import Any

from bson import ObjectId
from gridfs import AsyncGridFSBucket
from gridfs.errors import NoFile
from pymongo.asynchronous.database import AsyncDatabase

from service.inference.errors import ModelNotFound


class ModelStorage:
    """Stores model files by id; names them `<model>` with the digest in metadata."""

    def __init__(self, database: AsyncDatabase[Any], bucket_name: str = "onnx_models") -> None:
        self._bucket = AsyncGridFSBucket(database, bucket_name=bucket_name)

    async def put(self, name: str, data: bytes, sha256: str) -> str:
        """Upload one file; return its id."""
        blob_id = await self._bucket.upload_from_stream(
            name, data, metadata={"contentType": "application/onnx", "sha256": sha256}
        )
        return str(blob_id)

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
