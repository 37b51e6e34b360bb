"""Per-worker admission: hashing and decoding run in bounded slots, cheap checks first."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import httpx

from tests.avatars import images
from tests.conftest import AppFactory
from tests.factories import DEFAULT_PASSWORD, create_user, user_payload
from tests.races import race

PROBLEM = "application/problem+json"


# Real Argon2id at a deliberately high cost (64 MiB, t=12: about 0.4 s per check on an
# idle machine, several on a loaded one): the one slot stays busy far longer than the
# 50 ms anyone waits for it, and longer than the requests of one race take to arrive,
# however slow the machine; load stretches the hash along with everything else.
SLOW_HASHING = {
    "argon2_time_cost": 12,
    "argon2_memory_cost_kib": 65536,
    "argon2_parallelism": 4,
    "hash_concurrency": 1,
    "hash_max_wait_s": 0.05,
}


def _rejections(metrics: str, gate: str) -> float:
    line = next(
        line
        for line in metrics.splitlines()
        if line.startswith(f'admission_rejections_total{{gate="{gate}"}}')
    )
    return float(line.split()[-1])


async def _login_holding_the_hashing_slot(client: httpx.AsyncClient) -> asyncio.Task[Any]:
    """A login that holds the one hashing slot, returned once a probe is turned away."""
    for attempt in itertools.count():
        # A name of its own each time: lost rounds must not add up in the login throttle
        # (a throttled login is refused before hashing, and this would never end).
        name = f"holder{attempt}"
        busy = asyncio.create_task(
            client.post("/auth/token", data={"username": name, "password": DEFAULT_PASSWORD})
        )
        probe = await client.post("/auth/token", data={"username": name, "password": "probe"})
        assert probe.status_code in (401, 503), probe.text
        if probe.status_code == 503 and not busy.done():
            return busy
        # The probe reached the slot first, so the login was turned away: start again.
        await busy
    raise AssertionError("unreachable")


async def test_logins_past_the_hashing_slots_get_503_with_retry_after(
    app_with: AppFactory,
) -> None:
    async with app_with(**SLOW_HASHING) as client:
        assert _rejections((await client.get("/metrics")).text, "hashing") == 0
        statuses, responses = await race(
            8,
            lambda i: client.post(
                "/auth/token", data={"username": f"nobody{i}", "password": "wrong-password"}
            ),
        )
        # One slot: one password check runs, everyone else is turned away, not queued.
        assert statuses == {401: 1, 503: 7}, statuses
        busy = next(r for r in responses if r.status_code == 503)
        assert busy.headers["content-type"] == PROBLEM
        assert busy.json()["type"].endswith("worker-busy")
        assert int(busy.headers["retry-after"]) >= 1
        assert _rejections((await client.get("/metrics")).text, "hashing") == 7


async def test_a_taken_username_is_refused_without_hashing_or_decoding(
    app_with: AppFactory,
) -> None:
    async with app_with(**SLOW_HASHING) as client:
        taken = await create_user(client)
        # Keep the only hashing slot busy with a login for the whole test.
        busy = await _login_holding_the_hashing_slot(client)
        json_attempt = await client.post("/users", json=user_payload(username=taken["username"]))
        # A decompression bomb over the pixel budget: decoding it first would answer 422.
        multipart_attempt = await client.post(
            "/users",
            data=user_payload(email=taken["email"]),
            files={"avatar": ("bomb.png", images.bomb_png(4096, 4096), "image/png")},
        )
        await busy
        assert json_attempt.status_code == 409, json_attempt.text
        assert json_attempt.json()["type"].endswith("username-taken")
        assert multipart_attempt.status_code == 409, multipart_attempt.text
        assert multipart_attempt.json()["type"].endswith("email-taken")


async def test_decoding_past_its_slot_gets_503(app_with: AppFactory) -> None:
    async with app_with(decode_concurrency=1, decode_max_wait_s=0.05) as client:
        bomb = images.bomb_png(2896, 2896)  # just inside the 8 Mi pixel budget
        statuses, responses = await race(
            4,
            lambda _: client.post(
                "/users",
                data=user_payload(),
                files={"avatar": ("bomb.png", bomb, "image/png")},
            ),
        )
        assert statuses[201] >= 1, statuses
        assert statuses[503] >= 1, statuses
        assert set(statuses) == {201, 503}, statuses
        busy = next(r for r in responses if r.status_code == 503)
        assert busy.headers["content-type"] == PROBLEM
        assert "retry-after" in busy.headers
        assert _rejections((await client.get("/metrics")).text, "decoding") == statuses[503]


async def test_the_pixel_budget_refuses_large_images_but_not_large_photos(
    client: httpx.AsyncClient,
) -> None:
    registered = await client.post("/users", json=user_payload())
    user = registered.json()
    tokens = await client.post(
        "/auth/token", data={"username": user["username"], "password": DEFAULT_PASSWORD}
    )
    auth = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
    # 4000x3000: inside the side limit, 12 M pixels, over the 8 Mi budget.
    too_many = await client.put(
        f"/users/{user['id']}/avatar",
        files={"file": ("big.png", images.bomb_png(4000, 3000), "image/png")},
        headers=auth,
    )
    assert too_many.status_code == 422
    assert "pixels" in too_many.json()["detail"]
    # A 12 MP JPEG photo decodes at reduced scale, well inside the budget.
    photo = await client.put(
        f"/users/{user['id']}/avatar",
        files={"file": ("photo.jpg", images.jpeg_with_gps(4000, 3000), "image/jpeg")},
        headers=auth,
    )
    assert photo.status_code == 200, photo.text


async def test_waiting_for_a_hashing_slot_does_not_spend_the_database_deadline(
    app_with: AppFactory,
) -> None:
    # One slot and a generous wait: queued logins wait far longer than the database
    # deadline (3 s, which a loaded machine's round trips still meet) for it, then still
    # need the database. Only a worker too busy to admit them may refuse them, and then
    # as `worker-busy`, never `database-unavailable`.
    queued, deadline_s = 16, 3.0
    async with app_with(
        **{**SLOW_HASHING, "hash_max_wait_s": 60},
        mongodb_timeout_ms=int(deadline_s * 1000),
        login_max_failures=1000,  # every attempt counts against the account's throttle
    ) as client:
        user = await create_user(client)
        started = time.monotonic()
        statuses, responses = await race(
            queued,
            lambda _: client.post(
                "/auth/token", data={"username": user["username"], "password": DEFAULT_PASSWORD}
            ),
        )
        queue_s = time.monotonic() - started
        problems = [r.json()["type"] for r in responses if r.status_code != 200]
        assert statuses == {200: queued}, (statuses, problems)
        # The last login did wait longer than the deadline (a loaded machine only waits longer).
        assert queue_s > deadline_s, queue_s


async def test_waiting_for_a_decoding_slot_does_not_spend_the_database_deadline(
    app_with: AppFactory,
) -> None:
    # One decoding slot, a generous wait, a 3 s database deadline: registrations with a
    # large avatar queue for the slot longer than that, then still store the user.
    queued = 16
    bomb = images.bomb_png(2896, 2896)  # just inside the 8 Mi pixel budget
    async with app_with(
        decode_concurrency=1, decode_max_wait_s=60, mongodb_timeout_ms=3000
    ) as client:
        statuses, responses = await race(
            queued,
            lambda _: client.post(
                "/users",
                data=user_payload(),
                files={"avatar": ("bomb.png", bomb, "image/png")},
            ),
        )
        problems = [r.json()["type"] for r in responses if r.status_code != 201]
        assert statuses == {201: queued}, (statuses, problems)
