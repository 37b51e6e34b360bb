"""Avatar upload, serving and removal, with real images and the real GridFS store."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from PIL import ExifTags, Image
from pymongo.asynchronous.database import AsyncDatabase

from tests.avatars import images
from tests.avatars.conftest import StoredBlobs
from tests.factories import bearer, make_admin, user_payload, user_session

PROBLEM = "application/problem+json"


async def _upload(
    client: httpx.AsyncClient,
    user_id: str,
    data: bytes,
    auth: dict[str, str],
    filename: str = "avatar.png",
    content_type: str = "image/png",
) -> httpx.Response:
    return await client.put(
        f"/users/{user_id}/avatar", files={"file": (filename, data, content_type)}, headers=auth
    )


async def _fetch_image(client: httpx.AsyncClient, url: str) -> tuple[httpx.Response, Image.Image]:
    response = await client.get(url)
    assert response.status_code == 200
    return response, Image.open(io.BytesIO(response.content))


async def test_png_upload_is_reencoded_and_served_with_caching_headers(
    client: httpx.AsyncClient, blobs: StoredBlobs
) -> None:
    user, auth = await user_session(client)
    response = await _upload(client, user["id"], images.png(2000, 1000), auth)
    assert response.status_code == 200, response.text
    body = response.json()
    url = body["avatar_url"]
    assert url.startswith(f"http://testserver/users/{user['id']}/avatar?v=")
    assert body["updated_at"] >= user["updated_at"]

    served, image = await _fetch_image(client, url)  # anonymous: avatars are public
    assert served.headers["content-type"] == "image/webp"
    assert image.format == "WEBP"
    assert image.size == (512, 256)
    assert served.headers["cache-control"].startswith("public, max-age=")
    assert served.headers["x-content-type-options"] == "nosniff"
    etag = served.headers["etag"]
    again = await client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert await blobs.count() == 1
    listed = await client.get(f"/users?username={user['username']}", headers=auth)
    assert listed.json()[0]["avatar_url"] == url


async def test_jpeg_exif_and_gps_are_stripped(client: httpx.AsyncClient) -> None:
    original = images.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    user, auth = await user_session(client)
    response = await _upload(client, user["id"], original, auth, "me.jpg", "image/jpeg")
    assert response.status_code == 200
    _, image = await _fetch_image(client, response.json()["avatar_url"])
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert b"Leaky 3000" not in (await client.get(response.json()["avatar_url"])).content
    assert max(image.size) == 512


async def test_animated_gif_keeps_its_first_frame(client: httpx.AsyncClient) -> None:
    user, auth = await user_session(client)
    response = await _upload(client, user["id"], images.animated_gif(), auth, "a.gif", "image/gif")
    assert response.status_code == 200
    _, image = await _fetch_image(client, response.json()["avatar_url"])
    assert getattr(image, "n_frames", 1) == 1
    red, green, blue = image.convert("RGB").getpixel((10, 10))  # type: ignore[misc]
    assert red > 200
    assert green < 50
    assert blue < 50


async def test_webp_upload_and_format_comes_from_the_bytes(client: httpx.AsyncClient) -> None:
    user, auth = await user_session(client)
    # Named and labelled as PNG, but the bytes are WebP: the bytes decide.
    response = await _upload(client, user["id"], images.webp(), auth, "fake.png", "image/png")
    assert response.status_code == 200
    _, image = await _fetch_image(client, response.json()["avatar_url"])
    assert image.size == (300, 300)


async def test_rejected_uploads_store_nothing(
    client: httpx.AsyncClient, blobs: StoredBlobs
) -> None:
    user, auth = await user_session(client)
    cases = [
        (b"just some text, not an image\n" * 10, "notes.png", 415, "unsupported-image"),
        (images.truncated_png(), "cut.png", 422, "invalid-image"),
        (images.png_declaring(30000, 30000), "bomb.png", 422, "invalid-image"),
        (images.png_declaring(4097, 10), "wide.png", 422, "invalid-image"),
    ]
    for data, name, status, slug in cases:
        response = await _upload(client, user["id"], data, auth, name)
        assert response.status_code == status, name
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"].endswith(slug)
    assert await blobs.count() == 0
    fetched = await client.get(f"/users/{user['id']}", headers=auth)
    assert fetched.json()["avatar_url"] is None


async def test_oversized_bodies_are_413_before_parsing(
    client: httpx.AsyncClient, blobs: StoredBlobs
) -> None:
    user, auth = await user_session(client)
    too_big = images.png(64, 64) + b"\x00" * (2 * 1024 * 1024)
    declared = await _upload(client, user["id"], too_big, auth)
    assert declared.status_code == 413
    assert declared.headers["content-type"] == PROBLEM

    async def chunks() -> AsyncIterator[bytes]:
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
        for _ in range(40):
            yield b"\x00" * 65536  # 2.5 MiB in all, with no Content-Length
        yield b"\r\n--xyz--\r\n"

    streamed = await client.put(
        f"/users/{user['id']}/avatar",
        content=chunks(),
        headers={**auth, "content-type": "multipart/form-data; boundary=xyz"},
    )
    assert streamed.status_code == 413, streamed.text
    assert streamed.json()["type"] == declared.json()["type"]
    # One renderer: the same title whether the length was declared or the body streamed.
    assert streamed.json()["title"] == declared.json()["title"] == "Content Too Large"
    assert await blobs.count() == 0

    big_json = json.dumps({"name": "x" * (1024 * 1024)})
    patch = await client.patch(
        f"/users/{user['id']}",
        content=big_json,
        headers={**auth, "content-type": "application/json"},
    )
    assert patch.status_code == 413


async def test_only_the_user_or_an_admin_may_change_an_avatar(
    client: httpx.AsyncClient, blobs: StoredBlobs
) -> None:
    owner, owner_auth = await user_session(client)
    _, other_auth = await user_session(client)
    assert (await _upload(client, owner["id"], images.png(), other_auth)).status_code == 403
    assert (await _upload(client, owner["id"], images.png(), {})).status_code == 401
    assert await blobs.count() == 0

    assert (await _upload(client, owner["id"], images.png(), owner_auth)).status_code == 200
    refused = await client.delete(f"/users/{owner['id']}/avatar", headers=other_auth)
    assert refused.status_code == 403
    assert await blobs.count() == 1

    admin = await make_admin(client)
    client.headers.pop("Authorization")
    by_admin = await client.delete(f"/users/{owner['id']}/avatar", headers=bearer(admin["tokens"]))
    assert by_admin.status_code == 204
    assert await blobs.count() == 0
    assert (await client.get(f"/users/{owner['id']}/avatar")).status_code == 404


async def test_replacing_and_deleting_leave_no_orphans(
    client: httpx.AsyncClient, blobs: StoredBlobs
) -> None:
    user, auth = await user_session(client)
    first = (await _upload(client, user["id"], images.png(), auth)).json()["avatar_url"]
    second = (await _upload(client, user["id"], images.jpeg_with_gps(), auth)).json()["avatar_url"]
    assert first != second  # the URL changes with the image, so caches never serve the old one
    assert await blobs.count() == 1

    assert (await client.delete(f"/users/{user['id']}", headers=auth)).status_code == 204
    assert await blobs.count() == 0


async def test_wrong_content_type_and_missing_file(client: httpx.AsyncClient) -> None:
    user, auth = await user_session(client)
    as_json = await client.put(f"/users/{user['id']}/avatar", json={"file": "x"}, headers=auth)
    assert as_json.status_code == 415
    no_file = await client.put(
        f"/users/{user['id']}/avatar", files={"other": ("a.png", b"x", "image/png")}, headers=auth
    )
    assert no_file.status_code == 422
    assert (await client.get(f"/users/{user['id']}/avatar")).status_code == 404


async def test_register_with_an_avatar_in_one_multipart_request(
    client: httpx.AsyncClient, blobs: StoredBlobs
) -> None:
    fields = dict(user_payload().items())
    response = await client.post(
        "/users", data=fields, files={"avatar": ("me.png", images.png(), "image/png")}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["username"] == fields["username"]
    assert (await client.get(body["avatar_url"])).status_code == 200
    assert await blobs.count() == 1

    # Without any file httpx sends application/x-www-form-urlencoded, which is not accepted.
    urlencoded = await client.post("/users", data=user_payload())
    assert urlencoded.status_code == 415


async def test_multipart_registration_refuses_bad_input_and_creates_nobody(
    client: httpx.AsyncClient,
    blobs: StoredBlobs,
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    bad_image = await client.post(
        "/users",
        data=user_payload(username="badimage"),
        files={"avatar": ("x.png", b"not an image at all", "image/png")},
    )
    assert bad_image.status_code == 415
    bad_field = await client.post(
        "/users",
        data=user_payload(username="badfield", role="admin"),
        files={"avatar": ("x.png", images.png(), "image/png")},
    )
    assert bad_field.status_code == 403
    short = await client.post(
        "/users",
        data=user_payload(username="ab"),
        files={"avatar": ("x.png", images.png(), "image/png")},
    )
    assert short.status_code == 422
    assert short.json()["errors"][0]["loc"] == ["body", "username"]
    wrong_file = await client.post(
        "/users",
        data=user_payload(username="wrongfile"),
        files={"picture": ("x.png", images.png(), "image/png")},
    )
    assert wrong_file.status_code == 422
    assert await test_db["users"].count_documents({}) == 0
    assert await blobs.count() == 0


async def test_the_public_avatar_route_does_not_tell_users_apart_from_unknown_ids(
    client: httpx.AsyncClient,
) -> None:
    user, auth = await user_session(client)
    unknown = await client.get("/users/" + "a" * 24 + "/avatar")
    without_avatar = await client.get(f"/users/{user['id']}/avatar")
    for response in (unknown, without_avatar):
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM
    strip = ("instance", "request_id")
    assert {k: v for k, v in unknown.json().items() if k not in strip} == {
        k: v for k, v in without_avatar.json().items() if k not in strip
    }
    assert unknown.json()["type"] == "urn:users-service:problem:avatar-not-found"
    # Once there is an avatar, it is served; once it is gone, the same 404 again.
    assert (await _upload(client, user["id"], images.png(8, 8), auth)).status_code == 200
    assert (await client.get(f"/users/{user['id']}/avatar")).status_code == 200
    await client.delete(f"/users/{user['id']}", headers=auth)
    gone = await client.get(f"/users/{user['id']}/avatar")
    assert gone.status_code == 404
    assert gone.json()["detail"] == unknown.json()["detail"]
