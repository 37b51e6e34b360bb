"""Avatar replacement under concurrency: one live avatar, and the user points at it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.avatars import images
from tests.avatars.conftest import StoredBlobs
from tests.factories import user_session
from tests.races import TRIALS, race

UPLOADS = 5


async def test_parallel_uploads_leave_exactly_the_avatar_the_user_points_at(
    client: httpx.AsyncClient, blobs: StoredBlobs
) -> None:
    user, auth = await user_session(client)
    pictures = [images.png(64 + i, 64) for i in range(UPLOADS)]
    for trial in range(TRIALS):
        statuses, _ = await race(
            UPLOADS,
            lambda i: client.put(
                f"/users/{user['id']}/avatar",
                files={"file": ("a.png", pictures[i], "image/png")},
                headers=auth,
            ),
        )
        assert statuses == {200: UPLOADS}, (trial, statuses)
        current = (await client.get(f"/users/{user['id']}", headers=auth)).json()
        served = await client.get(current["avatar_url"])
        assert served.status_code == 200, f"avatar_url points at nothing in trial {trial}"
        assert await blobs.count(user["id"]) == 1


async def test_upload_racing_a_removal_leaves_a_consistent_user(
    client: httpx.AsyncClient, blobs: StoredBlobs
) -> None:
    user, auth = await user_session(client)
    for trial in range(TRIALS):

        def send(i: int) -> Any:
            if i % 2:
                return client.delete(f"/users/{user['id']}/avatar", headers=auth)
            return client.put(
                f"/users/{user['id']}/avatar",
                files={"file": ("a.png", images.png(80, 80), "image/png")},
                headers=auth,
            )

        statuses, _ = await race(4, send)
        assert set(statuses) <= {200, 204}, statuses
        current = (await client.get(f"/users/{user['id']}", headers=auth)).json()
        stored = await blobs.count(user["id"])
        if current["avatar_url"] is None:
            assert stored == 0, f"an orphan avatar blob is left in trial {trial}"
        else:
            assert (await client.get(current["avatar_url"])).status_code == 200, trial
            assert stored == 1, trial
