"""`GET /users`: filters, sorting and keyset pagination through the Link header."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx

from tests.factories import create_user

NEXT_LINK = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')


def next_url(response: httpx.Response) -> str | None:
    """The next page's URL from the Link header, or None on the last page."""
    link = response.headers.get("link")
    if link is None:
        return None
    match = NEXT_LINK.match(link)
    assert match, link
    return match.group("url")


async def _make_users(admin_client: httpx.AsyncClient, count: int) -> list[dict[str, Any]]:
    users = []
    for _ in range(count):
        users.append(await create_user(admin_client))
        await asyncio.sleep(0.002)  # distinct millisecond timestamps for a readable order
    return users


async def test_cursor_pages_walk_everyone_once_in_order(admin_client: httpx.AsyncClient) -> None:
    users = await _make_users(admin_client, 7)
    seen: list[str] = []
    url: str | None = "/users?role=user&limit=3"
    pages = 0
    while url is not None:
        response = await admin_client.get(url)
        assert response.status_code == 200
        seen.extend(user["id"] for user in response.json())
        url = next_url(response)
        pages += 1
    assert pages == 3
    assert seen == [user["id"] for user in reversed(users)]  # default: newest first


async def test_last_page_has_no_link_and_exact_fit_has_no_empty_page(
    admin_client: httpx.AsyncClient,
) -> None:
    await _make_users(admin_client, 4)
    first = await admin_client.get("/users?role=user&limit=2")
    second_url = next_url(first)
    assert second_url is not None
    second = await admin_client.get(second_url)
    assert len(second.json()) == 2
    assert next_url(second) is None
    everything = await admin_client.get("/users?role=user&limit=100")
    assert len(everything.json()) == 4
    assert "link" not in everything.headers


async def test_sort_by_username_both_ways_with_pages(admin_client: httpx.AsyncClient) -> None:
    for name in ("delta", "alpha", "charlie", "bravo", "echo"):
        await create_user(admin_client, username=name, email=f"{name}@example.com")
    for sort, expected in (
        ("username", ["alpha", "bravo", "charlie", "delta", "echo"]),
        ("-username", ["echo", "delta", "charlie", "bravo", "alpha"]),
    ):
        names: list[str] = []
        url: str | None = f"/users?role=user&sort={sort}&limit=2"
        while url:
            response = await admin_client.get(url)
            names.extend(user["username"] for user in response.json())
            url = next_url(response)
        assert names == expected, sort


async def test_ascending_created_at_pages(admin_client: httpx.AsyncClient) -> None:
    users = await _make_users(admin_client, 5)
    ids: list[str] = []
    url: str | None = "/users?role=user&sort=created_at&limit=2"
    while url:
        response = await admin_client.get(url)
        ids.extend(user["id"] for user in response.json())
        url = next_url(response)
    assert ids == [user["id"] for user in users]


async def test_filters(admin_client: httpx.AsyncClient) -> None:
    ada = await create_user(
        admin_client, username="ada", email="ada@math.example", name="Ada Lovelace"
    )
    await create_user(
        admin_client, username="alan", email="turing@bletchley.example", name="Alan Turing"
    )
    await create_user(
        admin_client, username="grace", email="grace@navy.example", name="Grace Hopper"
    )

    async def names(query: str) -> list[str]:
        response = await admin_client.get(f"/users?sort=username&role=user&{query}")
        assert response.status_code == 200, response.text
        return [user["username"] for user in response.json()]

    assert await names("username=ADA") == ["ada"]
    assert await names("email=Grace@Navy.example") == ["grace"]
    assert await names("q=a") == ["ada", "alan"]
    assert await names("q=TUR") == ["alan"]  # email prefix
    assert await names("q=hop") == []  # prefix, not substring
    assert await names("q=grace%20h") == ["grace"]  # name prefix, case-insensitive
    assert await names("q=.*") == []  # regex characters are literal
    assert await names("role=user&is_active=true") == ["ada", "alan", "grace"]
    admins = await admin_client.get("/users?role=admin")
    assert [user["role"] for user in admins.json()] == ["admin"]
    assert await names("is_active=false") == []
    created = ada["created_at"]
    assert await names(f"created_after={created}") == ["alan", "grace"]
    assert await names(f"created_before={created}") == []
    assert await names(f"created_before={created}&created_after=2000-01-01T00:00:00Z") == []


async def test_invalid_list_parameters_are_422(admin_client: httpx.AsyncClient) -> None:
    for query in (
        "limit=0",
        "limit=101",
        "sort=name",
        "created_after=yesterday",
        "q=",
        "role=root",
    ):
        response = await admin_client.get(f"/users?{query}")
        assert response.status_code == 422, query
        assert response.headers["content-type"] == "application/problem+json"


async def test_tampered_or_foreign_cursor_is_422(admin_client: httpx.AsyncClient) -> None:
    await _make_users(admin_client, 3)
    first = await admin_client.get("/users?role=user&limit=1")
    url = next_url(first)
    assert url is not None
    cursor = url.split("cursor=")[1]
    for bad in ("garbage!", cursor[:-4], "eyJ4IjoxfQ"):
        response = await admin_client.get(f"/users?role=user&limit=1&cursor={bad}")
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["loc"] == ["query", "cursor"]
    other_sort = await admin_client.get(f"/users?role=user&limit=1&sort=username&cursor={cursor}")
    assert other_sort.status_code == 422
    assert "sort" in other_sort.json()["detail"]
