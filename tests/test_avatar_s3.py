"""What only the S3 backend has: encryption, private keys, readiness, migration from GridFS."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from pymongo.asynchronous.database import AsyncDatabase

from service.avatars.s3 import S3AvatarStorage, S3Location
from service.core.config import Settings
from tests.avatars import images
from tests.conftest import AppFactory
from tests.factories import user_session
from tests.s3_server import BUCKET, PREFIX, S3Server, object_encryption, object_keys
from tests.service_process import REPO_ROOT, SUBPROCESS_CAP_S


def _s3_settings(server: S3Server, bucket: str = BUCKET) -> dict[str, Any]:
    return {
        "avatar_storage": "s3",
        "avatar_s3_bucket": bucket,
        "avatar_s3_prefix": PREFIX,
        "avatar_s3_region": "us-east-1",
        "avatar_s3_endpoint_url": server.endpoint_url,
    }


async def test_objects_are_encrypted_under_the_owners_prefix(
    app_with: AppFactory, s3_server: S3Server
) -> None:
    async with app_with(**_s3_settings(s3_server)) as client:
        user, auth = await user_session(client)
        uploaded = await client.put(
            f"/users/{user['id']}/avatar",
            files={"file": ("a.png", images.png(), "image/png")},
            headers=auth,
        )
        assert uploaded.status_code == 200
        keys = object_keys(s3_server, BUCKET, f"{PREFIX}{user['id']}/")
        assert len(keys) == 1
        assert object_encryption(s3_server, BUCKET, keys[0]) == "AES256"
        # Served by the service itself (the bucket is private), with its validators.
        served = await client.get(uploaded.json()["avatar_url"])
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/webp"
        assert served.headers["etag"]
        assert "max-age" in served.headers["cache-control"]


async def test_readiness_checks_the_bucket(app_with: AppFactory, s3_server: S3Server) -> None:
    async with app_with(**_s3_settings(s3_server)) as client:
        ready = await client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json()["checks"]["avatar_storage"]["status"] == "ok"
    async with app_with(**_s3_settings(s3_server, bucket="no-such-bucket")) as client:
        not_ready = await client.get("/health/ready")
        assert not_ready.status_code == 503
        assert not_ready.json()["checks"]["avatar_storage"]["status"] == "fail"
        assert not_ready.json()["checks"]["mongodb"]["status"] == "ok"


def _migrate(settings: Settings, server: S3Server) -> str:
    env = {
        **os.environ,
        "MONGODB_URL": settings.mongodb_url,
        "MONGODB_DB": settings.mongodb_db,
        "AVATAR_S3_BUCKET": BUCKET,
        "AVATAR_S3_PREFIX": PREFIX,
        "AVATAR_S3_REGION": "us-east-1",
        "AVATAR_S3_ENDPOINT_URL": server.endpoint_url,
        "LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-m", "service", "migrate-avatars", "--to", "s3"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=SUBPROCESS_CAP_S,
    )
    return done.stdout


async def test_migrate_avatars_copies_repoints_and_is_idempotent(
    client: httpx.AsyncClient,
    started_app: LifespanManager,
    settings: Settings,
    s3_server: S3Server,
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    before: dict[str, bytes] = {}
    for _ in range(2):
        user, auth = await user_session(client)
        uploaded = await client.put(
            f"/users/{user['id']}/avatar",
            files={"file": ("a.png", images.png(), "image/png")},
            headers=auth,
        )
        url = uploaded.json()["avatar_url"]
        before[url] = (await client.get(url)).content
    assert await test_db["avatars.files"].count_documents({}) == 2

    assert "copied 2" in _migrate(settings, s3_server)
    assert await test_db["avatars.files"].count_documents({}) == 0
    again = _migrate(settings, s3_server)
    assert "copied 0" in again
    assert "already there 2" in again

    # The running service, switched to S3, serves the same bytes at the same URLs.
    state = started_app._state["app"]
    gridfs = state.avatars
    state.avatars = S3AvatarStorage(
        S3Location(BUCKET, PREFIX, "us-east-1", endpoint_url=s3_server.endpoint_url)
    )
    try:
        for url, content in before.items():
            served = await client.get(url)
            assert served.status_code == 200
            assert served.content == content
    finally:
        state.avatars = gridfs
