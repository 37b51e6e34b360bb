"""Avatar uploads show up in logs and metrics, with size and format."""

from __future__ import annotations

import io
import json

import httpx

from tests.avatars import images
from tests.factories import user_session
from tests.test_metrics import _sample


async def test_upload_and_delete_are_logged_and_counted(
    client: httpx.AsyncClient, log_output: io.StringIO
) -> None:
    user, auth = await user_session(client)
    before = (await client.get("/metrics")).text
    data = images.png(300, 200)
    uploaded = await client.put(
        f"/users/{user['id']}/avatar", files={"file": ("a.png", data, "image/png")}, headers=auth
    )
    assert uploaded.status_code == 200
    rejected = await client.put(
        f"/users/{user['id']}/avatar",
        files={"file": ("a.png", b"text" * 10, "image/png")},
        headers=auth,
    )
    assert rejected.status_code == 415
    assert (await client.delete(f"/users/{user['id']}/avatar", headers=auth)).status_code == 204

    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    (upload,) = [line for line in lines if line["event"] == "avatar.uploaded"]
    assert upload["format"] == "PNG"
    assert upload["user_id"] == user["id"]
    assert 0 < upload["size"] < len(data)
    (deleted,) = [line for line in lines if line["event"] == "avatar.deleted"]
    assert deleted["size"] == upload["size"]

    after = (await client.get("/metrics")).text
    delta = _sample(after, "avatar_uploads_total", format="png") - _sample(
        before, "avatar_uploads_total", format="png"
    )
    assert delta == 1
    rejections = _sample(after, "avatar_rejections_total", reason="unsupported-image")
    assert rejections - _sample(before, "avatar_rejections_total", reason="unsupported-image") == 1
    assert _sample(after, "avatar_upload_bytes_sum") - _sample(
        before, "avatar_upload_bytes_sum"
    ) == len(data)
