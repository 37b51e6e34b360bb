"""Uploads of graphs whose cost a request's values would decide are refused, saying why."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from tests.models import hostile
from tests.models.conftest import upload

REFUSED = [
    ("constant-of-shape", hostile.constant_of_shape_from_input, "ConstantOfShape"),
    ("expand", hostile.expand_from_input, "Expand"),
    ("loop", hostile.endless_loop, "Loop"),
    ("scan", hostile.scan_over_input, "Scan"),
]


async def _nothing_stored(test_db: AsyncDatabase[dict[str, Any]]) -> None:
    for collection in ("model_versions", "onnx_models.files", "onnx_models.chunks"):
        assert await test_db[collection].count_documents({}) == 0, collection
    heads = await test_db["model_heads"].find({"next": {"$gt": 0}}).to_list()
    assert heads == []  # no version number was handed out


@pytest.mark.parametrize(("name", "build", "operator"), REFUSED)
async def test_graphs_sized_by_input_values_are_refused_naming_the_node(
    admin_client: httpx.AsyncClient,
    test_db: AsyncDatabase[dict[str, Any]],
    name: str,
    build: Any,
    operator: str,
) -> None:
    response = await upload(admin_client, name, build())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("invalid-model-file")
    assert operator in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "file"]
    await _nothing_stored(test_db)


async def test_a_model_declaring_two_million_features_is_refused_by_its_declaration(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    response = await upload(admin_client, "wide", hostile.declaring_features(2_000_000))
    assert response.status_code == 422, response.text
    assert "2000000 features" in response.json()["detail"]
    assert "MODEL_MAX_FEATURES" in response.json()["detail"]
    await _nothing_stored(test_db)
    # The event loop stayed free: a read made meanwhile is answered as usual.
    assert (await admin_client.get("/users/me")).status_code == 200


async def test_declared_features_beyond_the_bound_are_refused(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    features = [{"name": f"x{i}"} for i in range(1001)]
    data = hostile.declaring_features(1001)
    response = await upload(admin_client, "wide", data, features=features)
    assert response.status_code == 422
    assert "MODEL_MAX_FEATURES" in response.json()["detail"]
    await _nothing_stored(test_db)


async def test_a_graph_too_large_for_the_arena_on_one_row_is_refused(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    # 2**30 floats (4 GiB) of a constant shape: no value check can see it, the arena can.
    response = await upload(admin_client, "huge", hostile.huge_constant(2**30))
    assert response.status_code == 422, response.text
    assert "MODEL_ARENA_MAX_BYTES" in response.json()["detail"]
    await _nothing_stored(test_db)


async def test_parallel_hostile_uploads_are_all_refused_and_store_nothing(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    data = hostile.constant_of_shape_from_input()
    responses = await asyncio.gather(*(upload(admin_client, "same", data) for _ in range(8)))
    # Refused by the analysis (or, on a very busy machine, 503 worker-busy): never stored.
    assert {r.status_code for r in responses} <= {422, 503}
    assert any(r.status_code == 422 for r in responses)
    await _nothing_stored(test_db)
