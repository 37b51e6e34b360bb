"""Predictions: validated against the stored schema, cached, counted, and 503 without ONNX."""

from __future__ import annotations

import math

import httpx
import pytest

from service.models.onnx_files import runtime_missing
from service.models.train import TrainedModel
from tests.conftest import AppFactory
from tests.factories import make_admin
from tests.models.conftest import SETOSA, VIRGINICA, upload, upload_iris


async def test_iris_predictions_name_the_class_with_probabilities(
    admin_client: httpx.AsyncClient, iris: TrainedModel
) -> None:
    await upload_iris(admin_client, iris)
    response = await admin_client.post(
        "/models/iris/predictions", json={"rows": [SETOSA, VIRGINICA]}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["model"], body["version"], body["cached"]) == ("iris", 1, False)
    assert [p["label"] for p in body["predictions"]] == ["setosa", "virginica"]
    for prediction in body["predictions"]:
        assert set(prediction["probabilities"]) == {"setosa", "versicolor", "virginica"}
        assert math.isclose(sum(prediction["probabilities"].values()), 1.0, abs_tol=1e-5)


async def test_version_parameter_and_the_active_default(
    admin_client: httpx.AsyncClient, iris: TrainedModel, int_model: bytes
) -> None:
    await upload_iris(admin_client, iris)
    await upload_iris(admin_client, iris)
    rows = {"rows": [SETOSA]}
    assert (await admin_client.post("/models/iris/predictions", json=rows)).json()["version"] == 1
    chosen = await admin_client.post("/models/iris/predictions?version=2", json=rows)
    assert chosen.json()["version"] == 2
    missing = await admin_client.post("/models/iris/predictions?version=9", json=rows)
    assert missing.status_code == 404
    await admin_client.patch("/models/iris/versions/1", json={"active": False})
    none_active = await admin_client.post("/models/iris/predictions", json=rows)
    assert none_active.status_code == 409
    assert "activate" in none_active.json()["detail"]


async def test_rows_are_checked_against_the_schema(
    admin_client: httpx.AsyncClient, iris: TrainedModel
) -> None:
    await upload_iris(admin_client, iris)
    rows = [
        {k: v for k, v in SETOSA.items() if k != "petal_width"},  # missing
        {**SETOSA, "colour": 1.0},  # extra
        {**SETOSA, "sepal_length": "5.1"},  # wrong type
        {**SETOSA, "sepal_width": True},  # a bool is not a measurement
        {**SETOSA, "petal_length": 31.0},  # over the declared maximum
        {**SETOSA, "petal_width": -0.5},  # under the minimum
    ]
    response = await admin_client.post("/models/iris/predictions", json={"rows": rows})
    assert response.status_code == 422
    locs = [tuple(error["loc"]) for error in response.json()["errors"]]
    assert locs == [
        ("body", "rows", 0, "petal_width"),
        ("body", "rows", 1, "colour"),
        ("body", "rows", 2, "sepal_length"),
        ("body", "rows", 3, "sepal_width"),
        ("body", "rows", 4, "petal_length"),
        ("body", "rows", 5, "petal_width"),
    ]
    assert response.json()["errors"][0]["type"] == "missing"
    assert response.json()["errors"][1]["type"] == "extra_forbidden"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
async def test_non_finite_numbers_are_refused(
    admin_client: httpx.AsyncClient, iris: TrainedModel, literal: str
) -> None:
    await upload_iris(admin_client, iris)
    values = ", ".join(f'"{name}": 1.0' for name in list(SETOSA)[1:])
    body = f'{{"rows": [{{"sepal_length": {literal}, {values}}}]}}'
    response = await admin_client.post(
        "/models/iris/predictions", content=body, headers={"Content-Type": "application/json"}
    )
    # The parser reads these literals although JSON has none; validation names the field.
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["body", "rows", 0, "sepal_length"]


async def test_row_count_is_bounded(admin_client: httpx.AsyncClient, iris: TrainedModel) -> None:
    await upload_iris(admin_client, iris)
    for rows in ([], [SETOSA] * 1001):
        response = await admin_client.post("/models/iris/predictions", json={"rows": rows})
        assert response.status_code == 422
    full = await admin_client.post("/models/iris/predictions", json={"rows": [SETOSA] * 1000})
    assert full.status_code == 200
    assert len(full.json()["predictions"]) == 1000


async def test_integer_features_and_hand_built_graphs(
    admin_client: httpx.AsyncClient, int_model: bytes
) -> None:
    created = await upload(
        admin_client,
        "sign",
        int_model,
        features=[{"name": "n", "type": "int", "min": -100, "max": 100}],
        labels=["pos", "neg"],
    )
    assert created.status_code == 201, created.text
    ok = await admin_client.post("/models/sign/predictions", json={"rows": [{"n": 3}, {"n": -2}]})
    assert [p["label"] for p in ok.json()["predictions"]] == ["pos", "neg"]
    fraction = await admin_client.post("/models/sign/predictions", json={"rows": [{"n": 1.5}]})
    assert fraction.status_code == 422
    assert fraction.json()["errors"][0]["msg"] == "must be an integer"


async def _metric(client: httpx.AsyncClient, series: str) -> float:
    text = (await client.get("/metrics")).text
    line = next((x for x in text.splitlines() if x.startswith(series + " ")), None)
    return 0.0 if line is None else float(line.split()[-1])


async def test_identical_requests_are_answered_from_the_cache(
    admin_client: httpx.AsyncClient, iris: TrainedModel
) -> None:
    await upload_iris(admin_client, iris)
    # The app lives for the whole session, so counters are compared before and after.
    series = [
        'model_prediction_cache_total{result="hit"}',
        'model_prediction_cache_total{result="miss"}',
        'model_predictions_total{model="iris",version="1"}',
        'model_prediction_rows_total{model="iris",version="1"}',
        'model_prediction_seconds_count{model="iris",version="1"}',
    ]
    before = [await _metric(admin_client, s) for s in series]
    row = {**SETOSA, "sepal_length": 5.0}
    first = await admin_client.post("/models/iris/predictions", json={"rows": [row, row]})
    # The same numbers with keys reordered and an int for a float: the same request.
    same = {k: row[k] for k in reversed(row)} | {"sepal_length": 5}
    second = await admin_client.post("/models/iris/predictions", json={"rows": [same, same]})
    assert first.json()["cached"] is False
    assert second.json()["cached"] is True
    assert second.json()["predictions"] == first.json()["predictions"]
    after = [await _metric(admin_client, s) for s in series]
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1, 2, 4, 1]


async def test_without_onnx_runtime_model_routes_answer_503_saying_how_to_enable(
    app_with: AppFactory,
) -> None:
    async with app_with(ml_enabled=False) as client:
        await make_admin(client)
        for response in (
            await client.get("/models"),
            await client.post("/models/iris/predictions", json={"rows": [SETOSA]}),
        ):
            assert response.status_code == 503
            assert response.headers["content-type"] == "application/problem+json"
            assert "ml" in response.json()["detail"]
            assert "WITH_ML=true" in response.json()["detail"]


def test_the_import_probe_names_a_missing_runtime() -> None:
    assert runtime_missing() is None  # the test environment has the `ml` extra
    reason = runtime_missing(("onnxruntime", "no_such_runtime_module"))
    assert reason is not None
    assert "`no_such_runtime_module` is not installed" in reason
    assert "users-service[ml]" in reason
