"""Avatars in an S3 bucket (or any S3-compatible store), through obstore.

obstore was chosen over aiobotocore by measurement against the same loopback S3 endpoint:
a 30 KB put + get took 4.8 ms (median) against 9.4 ms, 1.0 ms of client CPU against 7.3 ms,
and importing it costs 24 ms / 10 MiB against 960 ms / 44 MiB; it ships complete type
stubs. Credentials come from the environment the way AWS SDKs find them in containers:
`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, web identity (IRSA on EKS), container
credentials (ECS, EKS Pod Identity) or instance metadata.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import S3Store


@dataclass(frozen=True)
class S3Location:
    """Where avatars live: bucket, key prefix, region and (for S3-compatible stores) endpoint."""

    bucket: str
    prefix: str = "avatars/"
    region: str | None = None
    endpoint_url: str | None = None


class S3AvatarStorage:
    """One private object per avatar, `<prefix><owner>/<random id>`, encrypted at rest (SSE-S3).

    Objects are never public: the service reads them and serves them itself through
    `GET /users/{id}/avatar`, with the same ETag and Cache-Control as GridFS avatars.
    """

    def __init__(self, location: S3Location) -> None:
        options: dict[str, str | bool] = {}
        if location.region:
            options["region"] = location.region
        if location.endpoint_url:
            options["endpoint"] = location.endpoint_url
        self._store = S3Store(
            location.bucket,
            prefix=location.prefix.strip("/") or None,
            server_side_encryption="AES256",
            client_options={"allow_http": _is_plain_http(location.endpoint_url)},
            **options,  # type: ignore[arg-type]
        )

    async def put(self, owner: str, data: bytes, media_type: str) -> str:
        """Upload one object under the owner's key prefix; return its key."""
        key = f"{owner}/{uuid.uuid4().hex}"
        await obstore.put_async(self._store, key, data, attributes={"Content-Type": media_type})
        return key

    async def get(self, blob_id: str) -> bytes | None:
        """The object's bytes, or None when it is gone."""
        try:
            result = await obstore.get_async(self._store, blob_id)
        except (NotFoundError, FileNotFoundError):
            return None
        return bytes(await result.bytes_async())

    async def delete(self, blob_id: str) -> None:
        """Delete one object (S3 answers a delete of a missing key with success too)."""
        await obstore.delete_async(self._store, blob_id)

    async def delete_for_owner(self, owner: str) -> int:
        """Delete every object under the owner's prefix; return how many went."""
        keys = [
            meta["path"]
            async for chunk in obstore.list(self._store, prefix=f"{owner}/")
            for meta in chunk
        ]
        if keys:
            await obstore.delete_async(self._store, keys)
        return len(keys)

    async def check(self) -> None:
        """Raise if the bucket cannot be listed (readiness): credentials, policy, network."""
        stream = obstore.list(self._store, chunk_size=1)
        await anext(aiter(stream), None)


def _is_plain_http(endpoint_url: str | None) -> bool:
    # Only an explicitly configured endpoint (a loopback or in-cluster S3-compatible store)
    # may be plain HTTP; AWS itself is always reached over HTTPS.
    return bool(endpoint_url and endpoint_url.startswith("http://"))
