"""HTTP as clients and uptime checkers expect it: HEAD, 405 with `Allow`, nosniff."""

from __future__ import annotations

import httpx
import pytest

from tests.avatars import images
from tests.factories import user_session

PROBLEM = "application/problem+json"


async def test_head_answers_wherever_get_does(client: httpx.AsyncClient) -> None:
    user, auth = await user_session(client)
    upload = await client.put(
        f"/users/{user['id']}/avatar",
        files={"file": ("a.png", images.png(8, 8), "image/png")},
        headers=auth,
    )
    avatar_url = upload.json()["avatar_url"]
    document = (await client.get("/openapi.json")).json()
    paths = [
        path.replace("{user_id}", user["id"])
        for path, operations in document["paths"].items()
        if "get" in operations
    ]
    paths += ["/docs", "/redoc", "/docs/oauth2-redirect", "/openapi.json", avatar_url]
    for path in paths:
        get = await client.get(path, headers=auth)
        head = await client.head(path, headers=auth)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert head.headers.get("etag") == get.headers.get("etag"), path
        if "content-length" in get.headers:
            assert int(head.headers["content-length"]) > 0, path
            if not path.startswith(("/health", "/metrics")):  # their bodies carry timings
                assert head.headers["content-length"] == str(len(get.content)), path
    assert {"/health", "/health/live", "/health/ready", "/metrics"} <= set(paths)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/users/me", "GET, HEAD, PATCH, DELETE"),
        ("POST", "/users/me", "GET, HEAD, PATCH, DELETE"),
        ("POST", "/users/{id}", "GET, HEAD, PUT, PATCH, DELETE"),
        ("OPTIONS", "/users/{id}", "GET, HEAD, PUT, PATCH, DELETE"),
        ("PATCH", "/users/{id}/avatar", "GET, HEAD, PUT, DELETE"),
        ("DELETE", "/users", "GET, HEAD, POST"),
        ("GET", "/auth/token", "POST"),
        ("HEAD", "/auth/token", "POST"),
        ("POST", "/health/ready", "GET, HEAD"),
    ],
)
async def test_405_allow_lists_every_method_of_the_path(
    client: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    user, auth = await user_session(client)
    response = await client.request(method, path.replace("{id}", user["id"]), headers=auth)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    if method != "HEAD":
        assert response.headers["content-type"] == PROBLEM


async def test_nosniff_is_sent_exactly_once_on_every_kind_of_response(
    client: httpx.AsyncClient,
) -> None:
    user, auth = await user_session(client)
    upload = await client.put(
        f"/users/{user['id']}/avatar",
        files={"file": ("a.png", images.png(8, 8), "image/png")},
        headers=auth,
    )
    responses = [
        upload,  # JSON
        await client.get(upload.json()["avatar_url"]),  # the image
        await client.get("/users/" + "0" * 24, headers=auth),  # a problem
        await client.get("/docs"),  # HTML
        await client.get("/metrics"),  # text
        await client.head("/health"),
    ]
    for response in responses:
        assert response.headers.get_list("x-content-type-options") == ["nosniff"], response.url
