"""Predictions inside the worker's bounds, as clients see them: a run past its timeout or
past the arena is stopped and answered 503 with a problem, and the worker serves on.

Models that the upload check refuses are stored directly, as a deployment would hold
versions uploaded before that check existed: the run-time bounds must hold for them too.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import httpx

from service.models import heads
from service.models.documents import FeatureSpec, ModelVersion
from service.models.onnx_files import GraphInfo
from service.models.slots import abandoned_runs, abandoned_runs_ended
from service.models.storage import ModelStorage
from service.models.writes import Upload, store_version
from tests.conftest import AppFactory
from tests.factories import make_admin
from tests.models import hostile
from tests.models.conftest import upload

HANG_GUARD_S = 60  # only against a hang; no outcome depends on it
ROW = {"x": 1.0}


async def store_unchecked(name: str, data: bytes) -> None:
    """Store and activate a [rows, 1] -> [rows, 2] model without the upload's checks."""
    database = ModelVersion.get_pymongo_collection().database
    graph = GraphInfo(
        input_name="X", n_features=1, probability_output="p", n_classes=2, class_labels=None
    )
    stored = await store_version(
        Upload(name=name, data=data, features=None, labels=None, metrics={}, created_by="t"),
        ModelStorage(database),
        graph,
        [FeatureSpec(name="x")],
        ["a", "b"],
        hashlib.sha256(data).hexdigest(),
    )
    await heads.activate(name, stored.version)


async def _stopped(client: httpx.AsyncClient, reason: str) -> float:
    text = (await client.get("/metrics")).text
    series = f'model_runs_stopped_total{{reason="{reason}"}} '
    return next(float(line.split()[-1]) for line in text.splitlines() if line.startswith(series))


async def _serves_again(client: httpx.AsyncClient) -> None:
    created = await upload(client, "plain", hostile.wide_rows(4), features=[{"name": "x"}])
    assert created.status_code == 201, created.text
    answer = await client.post("/models/plain/predictions", json={"rows": [ROW]})
    assert answer.status_code == 200, answer.text


async def test_a_run_past_its_timeout_is_stopped_and_answered_503(app_with: AppFactory) -> None:
    async with app_with(model_run_timeout_s=0.3) as client:
        await make_admin(client)
        await store_unchecked("endless", hostile.endless_loop())
        before = await _stopped(client, "timeout")
        response = await client.post("/models/endless/predictions", json={"rows": [ROW]})
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("model-run-timeout")
        assert "MODEL_RUN_TIMEOUT_S" in response.json()["detail"]
        assert response.headers["retry-after"] == "1"
        assert await _stopped(client, "timeout") == before + 1
        await _serves_again(client)


async def test_a_request_cancelled_by_its_deadline_stops_its_run(app_with: AppFactory) -> None:
    async with app_with(request_timeout_s=2.0, model_run_timeout_s=600) as client:
        await make_admin(client)
        await store_unchecked("endless", hostile.endless_loop())
        before = await _stopped(client, "cancelled")
        response = await client.post("/models/endless/predictions", json={"rows": [ROW]})
        assert response.status_code == 503
        assert response.json()["type"].endswith("request-timeout")
        # The run's slot is freed only when the run has ended, which `terminate` makes it do.
        assert abandoned_runs() <= 1  # this one run, or none if it has ended already
        async with asyncio.timeout(HANG_GUARD_S):
            await abandoned_runs_ended()
        assert await _stopped(client, "cancelled") == before + 1
        await _serves_again(client)


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")  # pragma: no cover - Linux always has it


async def test_a_run_needing_more_than_the_arena_is_503_and_takes_nothing(
    admin_client: httpx.AsyncClient,
) -> None:
    # Each row becomes 2**20 floats (4 MiB): 10 rows fit the 128 MiB arena, 100 do not.
    created = await upload(admin_client, "wide", hostile.wide_rows(2**20), features=[{"name": "x"}])
    assert created.status_code == 201, created.text
    fits = await admin_client.post("/models/wide/predictions", json={"rows": [ROW] * 10})
    assert fits.status_code == 200, fits.text
    peak = _peak_rss_mib()
    too_big = await admin_client.post("/models/wide/predictions", json={"rows": [ROW] * 100})
    assert too_big.status_code == 503, too_big.text
    assert too_big.headers["content-type"] == "application/problem+json"
    assert too_big.json()["type"].endswith("model-resources-exhausted")
    assert "MODEL_ARENA_MAX_BYTES" in too_big.json()["detail"]
    assert "Traceback" not in too_big.text
    # ONNX Runtime refused the 400 MiB before taking it.
    assert _peak_rss_mib() - peak < 200
    again = await admin_client.post("/models/wide/predictions", json={"rows": [ROW] * 10})
    assert again.status_code == 200
