"""List queries use indexes by construction: what the service sends to MongoDB.

Every list request is keyset-paginated (never `skip`), sorts on a key some index serves,
turns a cursor into a range on (sort key, _id), and turns `q` into an anchored, escaped
prefix on lower-cased, indexed fields.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from service.users.cursor import Cursor
from tests.command_recorder import CommandRecorder
from tests.factories import create_user
from tests.users.test_list import next_url

PAGE_QUERIES = [
    "limit=2",
    "limit=2&sort=created_at",
    "limit=2&sort=username",
    "limit=2&sort=-username",
    "limit=2&q=Us.er",
    "limit=2&username=user1",
    "limit=2&email=user1@example.com",
    "limit=2&role=user&is_active=true",
    "limit=2&created_after=2020-01-01T00:00:00Z&created_before=2100-01-01T00:00:00Z",
]


async def _index_keys(test_db: AsyncDatabase[dict[str, Any]]) -> list[list[tuple[str, int]]]:
    info = await test_db["users"].index_information()
    return [
        [(field, int(direction)) for field, direction in index["key"]] for index in info.values()
    ]


def _served_by_an_index(sort: dict[str, int], indexes: list[list[tuple[str, int]]]) -> bool:
    wanted = list(sort.items())
    reverse = [(field, -direction) for field, direction in wanted]
    return any(index[: len(wanted)] in (wanted, reverse) for index in indexes)


def _regexes(node: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict) and "$regex" in value:
                found.append((key, value["$regex"]))
            else:
                found.extend(_regexes(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_regexes(item))
    return found


@pytest.mark.parametrize("query", PAGE_QUERIES)
async def test_first_and_cursor_pages_are_keyset_queries_on_indexes(
    query: str,
    admin_client: httpx.AsyncClient,
    commands: CommandRecorder,
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    for _ in range(5):
        await create_user(admin_client, name="Us.er Example")
    indexes = await _index_keys(test_db)

    with commands.recording():
        first = await admin_client.get(f"/users?{query}")
        assert first.status_code == 200
        url = next_url(first)
        if url is not None:
            assert (await admin_client.get(url)).status_code == 200
    finds = commands.finds("users")
    list_finds = [f for f in finds if "sort" in f]
    assert list_finds, finds
    for command in list_finds:
        assert "skip" not in command
        assert command["limit"] == 3  # one more than the page, to know whether a next page exists
        sort = dict(command["sort"])
        assert list(sort)[-1] == "_id"
        assert _served_by_an_index(sort, indexes), f"no index serves sort {sort}"

    if url is not None:
        field, direction = next(iter(dict(list_finds[-1]["sort"]).items()))
        op = "$lt" if direction == -1 else "$gt"
        cursor_clause = str(list_finds[-1]["filter"])
        assert f"'{field}': {{'{op}':" in cursor_clause
        assert f"'_id': {{'{op}':" in cursor_clause


async def test_q_is_an_anchored_escaped_prefix_on_indexed_lowercase_fields(
    admin_client: httpx.AsyncClient,
    commands: CommandRecorder,
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    indexed_fields = {key[0][0] for key in await _index_keys(test_db)}
    with commands.recording():
        response = await admin_client.get(f"/users?q={quote('Ad.A(*')}")
        assert response.status_code == 200
    (command,) = [c for c in commands.finds("users") if "sort" in c]
    regexes = _regexes(command["filter"])
    assert {field for field, _ in regexes} == {"username", "email", "name_lower"}
    for field, pattern in regexes:
        assert field in indexed_fields, f"{field} has no index"
        assert pattern == "^" + re.escape("ad.a(*")  # anchored, lower-cased, metacharacters escaped


async def test_deep_cursor_page_reads_only_its_own_index_entries(
    admin_client: httpx.AsyncClient,
    commands: CommandRecorder,
    test_db: AsyncDatabase[dict[str, Any]],
) -> None:
    build_info = await test_db.client.admin.command("buildInfo")
    if "ferretdbVersion" in build_info:
        pytest.skip("explain statistics need a real MongoDB (GitHub Actions' mongo:7 service)")
    from datetime import UTC, datetime, timedelta

    from bson import ObjectId

    start = datetime(2024, 1, 1, tzinfo=UTC)
    await test_db["users"].insert_many(
        [
            {
                "_id": ObjectId(),
                "username": f"bulk{i:06d}",
                "email": f"bulk{i:06d}@example.com",
                "name": None,
                "name_lower": None,
                "password_hash": "x",
                "role": "user",
                "is_active": True,
                "version": 1,
                "token_version": 0,
                "created_at": start + timedelta(seconds=i),
                "updated_at": start + timedelta(seconds=i),
            }
            for i in range(100_000)
        ]
    )
    # A cursor at document 90 000 of 100 000, as the service would have issued it there.
    deep = await test_db["users"].find_one({"username": "bulk090000"})
    assert deep is not None
    cursor = Cursor("created_at", deep["created_at"], deep["_id"]).encode()
    with commands.recording():
        page = await admin_client.get(f"/users?limit=50&sort=created_at&cursor={cursor}")
    assert page.status_code == 200
    assert [user["username"] for user in page.json()] == [
        f"bulk{i:06d}" for i in range(90_001, 90_051)
    ]
    (command,) = [c for c in commands.finds("users") if "sort" in c]
    explain = await test_db.command(
        {
            "explain": {k: v for k, v in command.items() if not k.startswith("$") and k != "lsid"},
            "verbosity": "executionStats",
        }
    )
    stats = explain["executionStats"]
    # The page reads limit + 1 = 51 index entries (one more to know a next page exists);
    # each index scan may also look at the one key where its bound ends.
    assert stats["totalDocsExamined"] <= 51, stats
    assert stats["totalKeysExamined"] <= 51 + 2, stats
