"""Conditional writes under concurrency: one `If-Match` has exactly one winner."""

from __future__ import annotations

from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.factories import user_session
from tests.races import PARALLEL, TRIALS, race


async def _etag(client: httpx.AsyncClient, user_id: str, auth: dict[str, str]) -> str:
    response = await client.get(f"/users/{user_id}", headers=auth)
    assert response.status_code == 200
    return response.headers["ETag"]


async def test_parallel_patches_with_one_if_match_have_one_winner(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    user, auth = await user_session(client)
    for trial in range(TRIALS):
        etag = await _etag(client, user["id"], auth)
        before = await test_db["users"].find_one({"username": user["username"]})
        assert before is not None

        statuses, responses = await race(
            PARALLEL,
            lambda i, etag=etag: client.patch(
                f"/users/{user['id']}",
                json={"name": f"writer {i}"},
                headers={**auth, "If-Match": etag},
            ),
        )
        assert statuses == {200: 1, 412: PARALLEL - 1}, (trial, statuses)
        winner = next(r for r in responses if r.status_code == 200).json()
        stored = await test_db["users"].find_one({"username": user["username"]})
        assert stored is not None
        # The one winner's write is what is stored, and the version moved exactly once.
        assert stored["name"] == winner["name"]
        assert stored["version"] == before["version"] + 1


async def test_parallel_puts_with_one_if_match_have_one_winner(client: httpx.AsyncClient) -> None:
    user, auth = await user_session(client)
    for trial in range(TRIALS):
        etag = await _etag(client, user["id"], auth)
        statuses, _ = await race(
            PARALLEL,
            lambda i, etag=etag: client.put(
                f"/users/{user['id']}",
                json={"username": user["username"], "email": user["email"], "name": f"put {i}"},
                headers={**auth, "If-Match": etag},
            ),
        )
        assert statuses == {200: 1, 412: PARALLEL - 1}, (trial, statuses)


async def test_patch_and_delete_with_one_if_match_never_both_win(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    for trial in range(TRIALS):
        user, auth = await user_session(client)
        etag = await _etag(client, user["id"], auth)

        headers = {**auth, "If-Match": etag}

        def send(i: int, user_id: str = user["id"], headers: dict[str, str] = headers) -> Any:
            if i % 2:
                return client.delete(f"/users/{user_id}", headers=headers)
            return client.patch(f"/users/{user_id}", json={"name": "late"}, headers=headers)

        statuses, _ = await race(PARALLEL, send)
        winners = statuses[200] + statuses[204]
        assert winners == 1, (trial, statuses)
        # Everyone else lost cleanly: a stale ETag, or (after the delete) the user is gone
        # and their token with it.
        assert set(statuses) <= {200, 204, 401, 404, 412}, statuses
        exists = await test_db["users"].count_documents({"username": user["username"]})
        assert exists == (1 if statuses[200] else 0)


async def test_parallel_deletes_with_one_if_match_have_one_winner(
    client: httpx.AsyncClient,
) -> None:
    for trial in range(TRIALS):
        user, auth = await user_session(client)
        etag = await _etag(client, user["id"], auth)
        statuses, _ = await race(
            PARALLEL,
            lambda _, user_id=user["id"], headers={**auth, "If-Match": etag}: client.delete(
                f"/users/{user_id}", headers=headers
            ),
        )
        assert statuses[204] == 1, (trial, statuses)
        assert set(statuses) <= {204, 401, 404, 412}, statuses
