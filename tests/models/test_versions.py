"""Uploading, listing, activating and deleting ONNX model versions, as clients see it."""

from __future__ import annotations

import asyncio
import pickle
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from service.models.train import TrainedModel
from tests.conftest import AppFactory
from tests.factories import user_session
from tests.models.conftest import upload, upload_iris


async def _stored(test_db: AsyncDatabase[dict[str, Any]]) -> tuple[int, int]:
    versions = await test_db["model_versions"].count_documents({})
    files = await test_db["onnx_models.files"].count_documents({})
    return versions, files


async def test_upload_stores_the_file_and_its_schema_and_activates_the_first(
    admin_client: httpx.AsyncClient, iris: TrainedModel, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    created = await upload_iris(admin_client, iris)
    assert created["version"] == 1
    assert created["active"] is True
    assert [f["name"] for f in created["features"]] == [f["name"] for f in iris.features]
    assert created["labels"] == ["setosa", "versicolor", "virginica"]
    assert created["metrics"]["accuracy"] > 0.9
    assert created["size"] == len(iris.onnx)
    assert await _stored(test_db) == (1, 1)

    second = await upload_iris(admin_client, iris)
    assert (second["version"], second["active"]) == (2, False)  # v1 stays the served one

    listing = (await admin_client.get("/models")).json()
    assert listing == [{"name": "iris", "active_version": 1, "latest_version": 2, "versions": 2}]


async def test_a_model_read_carries_an_etag_that_changes_with_activation(
    admin_client: httpx.AsyncClient, iris: TrainedModel
) -> None:
    await upload_iris(admin_client, iris)
    await upload_iris(admin_client, iris)
    first = await admin_client.get("/models/iris")
    assert first.status_code == 200
    assert first.json()["active_version"] == 1
    etag = first.headers["ETag"]
    unchanged = await admin_client.get("/models/iris", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304

    patched = await admin_client.patch("/models/iris/versions/2", json={"active": True})
    assert patched.status_code == 200
    assert patched.json()["active"] is True
    after = await admin_client.get("/models/iris", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.json()["active_version"] == 2
    assert [v["active"] for v in after.json()["versions"]] == [False, True]

    off = await admin_client.patch("/models/iris/versions/2", json={"active": False})
    assert off.json()["active"] is False
    assert (await admin_client.get("/models/iris")).json()["active_version"] is None


async def test_schema_is_read_from_the_graph_when_not_declared(
    admin_client: httpx.AsyncClient, iris: TrainedModel
) -> None:
    response = await upload(admin_client, "plain", iris.onnx)
    assert response.status_code == 201, response.text
    body = response.json()
    assert [f["name"] for f in body["features"]] == ["f0", "f1", "f2", "f3"]
    assert body["labels"] == ["0", "1", "2"]  # the classifier's integer class labels


async def test_delete_removes_metadata_and_file(
    admin_client: httpx.AsyncClient, iris: TrainedModel, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    await upload_iris(admin_client, iris)
    assert (await admin_client.delete("/models/iris/versions/1")).status_code == 204
    assert await _stored(test_db) == (0, 0)
    assert (await admin_client.get("/models/iris")).status_code == 404
    assert (await admin_client.delete("/models/iris/versions/1")).status_code == 404


async def test_unknown_models_are_404(admin_client: httpx.AsyncClient) -> None:
    response = await admin_client.get("/models/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert (
        await admin_client.patch("/models/nope/versions/1", json={"active": True})
    ).status_code == 404
    rows = {"rows": [{"a": 1}]}
    assert (await admin_client.post("/models/nope/predictions", json=rows)).status_code == 404


async def test_a_pickle_named_onnx_is_refused_and_nothing_is_stored(
    admin_client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    payload = pickle.dumps({"weights": [1.0, 2.0]})
    response = await upload(admin_client, "evil", payload, filename="model.onnx")
    assert response.status_code == 422
    assert "pickle" in response.json()["detail"]
    assert await _stored(test_db) == (0, 0)


async def test_corrupt_onnx_is_refused_and_nothing_is_stored(
    admin_client: httpx.AsyncClient, iris: TrainedModel, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    for data in (b"not a model at all", iris.onnx[: len(iris.onnx) // 2]):
        response = await upload(admin_client, "broken", data)
        assert response.status_code == 422, response.text
        assert response.json()["type"].endswith("invalid-model-file")
    assert await _stored(test_db) == (0, 0)


async def test_declared_schema_must_fit_the_graph(
    admin_client: httpx.AsyncClient, iris: TrainedModel, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    too_few = await upload(admin_client, "iris", iris.onnx, features=iris.features[:2])
    assert too_few.status_code == 422
    assert "takes 4" in too_few.json()["detail"]
    wrong_labels = await upload(admin_client, "iris", iris.onnx, labels=["a", "b"])
    assert wrong_labels.status_code == 422
    bad_json = await upload(admin_client, "iris", iris.onnx, features="[{")
    assert bad_json.status_code == 422
    assert bad_json.json()["errors"][0]["loc"] == ["body", "features"]
    assert await _stored(test_db) == (0, 0)


async def test_oversized_uploads_are_413(app_with: AppFactory, iris: TrainedModel) -> None:
    async with app_with(model_max_bytes=1024) as client:
        from tests.factories import make_admin

        await make_admin(client)
        big = iris.onnx + b"\0" * 200_000  # over the cap plus the form allowance
        assert (await upload(client, "iris", big)).status_code == 413
        just_over = iris.onnx + b"\0" * (1025 - len(iris.onnx))
        response = await upload(client, "iris", just_over)
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"


async def test_only_admins_write_and_only_callers_read(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient, iris: TrainedModel
) -> None:
    await upload_iris(admin_client, iris)
    assert (await client.get("/models")).status_code == 401
    assert (await client.get("/models/iris")).status_code == 401
    assert (await upload(client, "iris", iris.onnx)).status_code == 401
    _, headers = await user_session(client)
    client.headers.update(headers)
    assert (await client.get("/models/iris")).status_code == 200
    assert (await upload(client, "iris", iris.onnx)).status_code == 403
    assert (
        await client.patch("/models/iris/versions/1", json={"active": False})
    ).status_code == 403
    assert (await client.delete("/models/iris/versions/1")).status_code == 403
    # Who is asking is decided first: a non-admin's malformed change is refused as such.
    assert (
        await client.patch("/models/iris/versions/1", json={"active": "maybe"})
    ).status_code == 403
    rows = {"rows": [{f["name"]: 1.0 for f in iris.features}]}
    assert (await client.post("/models/iris/predictions", json=rows)).status_code == 200


async def test_parallel_uploads_get_distinct_consecutive_versions(
    admin_client: httpx.AsyncClient, iris: TrainedModel
) -> None:
    responses = await asyncio.gather(*(upload_iris(admin_client, iris) for _ in range(6)))
    assert sorted(r["version"] for r in responses) == [1, 2, 3, 4, 5, 6]
    # Exactly one of the racing first uploads became the active version.
    assert sum(r["active"] for r in responses) == 1
    model = (await admin_client.get("/models/iris")).json()
    assert [v["version"] for v in model["versions"]] == [1, 2, 3, 4, 5, 6]
    assert sum(v["active"] for v in model["versions"]) == 1
