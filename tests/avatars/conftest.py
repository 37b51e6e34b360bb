"""Every avatar test runs twice: against GridFS and against S3 (a real S3 endpoint)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from asgi_lifespan import LifespanManager
from pymongo.asynchronous.database import AsyncDatabase

from service.avatars.s3 import S3AvatarStorage, S3Location
from tests.s3_server import BUCKET, PREFIX, S3Server, object_keys


class StoredBlobs:
    """Counts what the selected backend really holds, to prove nothing is orphaned."""

    def __init__(
        self, backend: str, test_db: AsyncDatabase[dict[str, Any]], s3: S3Server | None
    ) -> None:
        self.backend = backend
        self._db = test_db
        self._s3 = s3

    async def count(self, owner: str | None = None) -> int:
        """Stored avatar blobs (of `owner`, or of everyone)."""
        if self._s3 is not None:
            prefix = PREFIX + (f"{owner}/" if owner else "")
            return len(object_keys(self._s3, BUCKET, prefix))
        query = {"filename": owner} if owner else {}
        files = await self._db["avatars.files"].find(query, {"_id": 1}).to_list()
        # Every chunk belongs to a stored file: no half-deleted blob is left behind.
        file_ids = {
            f["_id"] for f in await self._db["avatars.files"].find({}, {"_id": 1}).to_list()
        }
        chunk_owners = set(await self._db["avatars.chunks"].distinct("files_id"))
        assert chunk_owners <= file_ids, "orphaned GridFS chunks"
        return len(files)


@pytest.fixture(params=["gridfs", "s3"])
def avatar_backend(request: pytest.FixtureRequest, started_app: LifespanManager) -> Iterator[str]:
    """Point the running app's avatar storage at GridFS or S3 for one test."""
    state = started_app._state["app"]  # the `State` each request's `request.state` carries
    gridfs = state.avatars
    if request.param == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        state.avatars = S3AvatarStorage(
            S3Location(
                bucket=BUCKET, prefix=PREFIX, region="us-east-1", endpoint_url=server.endpoint_url
            )
        )
    try:
        yield request.param
    finally:
        state.avatars = gridfs


@pytest.fixture
async def blobs(
    avatar_backend: str, request: pytest.FixtureRequest, test_db: AsyncDatabase[dict[str, Any]]
) -> StoredBlobs:
    """What the selected backend stores, with S3 objects cleared first."""
    server = request.getfixturevalue("s3_server") if avatar_backend == "s3" else None
    stored = StoredBlobs(avatar_backend, test_db, server)
    if server is not None:
        import boto3

        client = boto3.client("s3", endpoint_url=server.endpoint_url, region_name="us-east-1")
        for key in object_keys(server, BUCKET):
            client.delete_object(Bucket=BUCKET, Key=key)
    return stored


@pytest.fixture(autouse=True)
def _every_avatar_test_on_both_backends(blobs: StoredBlobs) -> None:
    """Pull in `blobs` (and so the backend parameter) for every test in this package."""
