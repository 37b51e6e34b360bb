"""Storing a checked version: its file, its number, its metadata; all three or none.

The writes cannot share a transaction (GridFS, the head's counter, the version document),
so a failure after the first undoes the others: the version document (by the id chosen
before inserting, so an insert whose reply was lost is found too), the file with its
chunks, and the version number when no later upload took the next one. The undo runs in
a task of its own, outside the request's database deadline (which has usually run out
when a write fails) and beyond the reach of the request's cancellation.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Mapping
from dataclasses import dataclass

import pymongo
import structlog
from beanie import PydanticObjectId

from service.models import heads
from service.models.documents import FeatureSpec, ModelVersion
from service.models.onnx_files import GraphInfo
from service.models.storage import ModelStorage

log = structlog.get_logger(__name__)

UNDO_TIMEOUT_S = 10.0
_UNDOING: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class Upload:
    """An uploaded file with what the uploader declared (None: read it from the graph)."""

    name: str
    data: bytes
    features: list[FeatureSpec] | None
    labels: list[str] | None
    metrics: Mapping[str, float]
    created_by: str
    activate: bool | None = None


async def _undo(
    name: str, storage: ModelStorage, blob_id: str, document_id: PydanticObjectId, version: int
) -> None:
    with pymongo.timeout(UNDO_TIMEOUT_S):
        await ModelVersion.get_pymongo_collection().delete_one({"_id": document_id})
        await storage.delete(blob_id)
        if version:
            await heads.release_version(name, version)


async def _undo_detached(
    name: str, storage: ModelStorage, blob_id: str, document_id: PydanticObjectId, version: int
) -> None:
    # A fresh context: no request deadline (pymongo.timeout lives in a context variable).
    undo = asyncio.get_running_loop().create_task(
        _undo(name, storage, blob_id, document_id, version), context=contextvars.Context()
    )
    _UNDOING.add(undo)
    undo.add_done_callback(_UNDOING.discard)
    try:
        await asyncio.shield(undo)
    except asyncio.CancelledError:
        raise  # the undo goes on; `_UNDOING` keeps it referenced until it ends
    except Exception as exc:  # the database is gone: say what is left behind
        log.error(
            "model.upload_undo_failed",
            model=name,
            version=version,
            blob_id=blob_id,
            error_type=type(exc).__name__,
        )


async def store_version(
    upload: Upload,
    storage: ModelStorage,
    graph: GraphInfo,
    features: list[FeatureSpec],
    labels: list[str],
    sha256: str,
) -> ModelVersion:
    """Write the file, allocate the number, insert the metadata; on failure undo them all."""
    blob_id = storage.new_id()
    document_id = PydanticObjectId()
    version = 0
    try:
        await storage.put(upload.name, upload.data, sha256, blob_id)
        version = await heads.next_version(upload.name)
        document = ModelVersion(
            id=document_id,
            name=upload.name,
            version=version,
            features=features,
            labels=labels,
            metrics=dict(upload.metrics),
            input_name=graph.input_name,
            probability_output=graph.probability_output,
            sha256=sha256,
            size=len(upload.data),
            blob_id=blob_id,
            created_by=upload.created_by,
        )
        await document.insert()
    except BaseException:
        await _undo_detached(upload.name, storage, blob_id, document_id, version)
        raise
    return document
