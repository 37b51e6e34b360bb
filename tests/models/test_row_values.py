"""Numbers a model cannot take are 422 naming the row and feature; never a 500, never null."""

from __future__ import annotations

import httpx
import pytest

from tests.models import hostile
from tests.models.conftest import upload

HUGE_INTEGER = "1" + "0" * 400  # a JSON integer no float holds


async def _post(client: httpx.AsyncClient, name: str, body: str) -> httpx.Response:
    return await client.post(
        f"/models/{name}/predictions",
        content=body,
        headers={"Content-Type": "application/json"},
    )


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        (HUGE_INTEGER, "must be a finite number"),
        ("-" + HUGE_INTEGER, "must be a finite number"),
        ("1e39", "number range"),  # finite as a double, infinite as float32
        ("-3.5e38", "number range"),
    ],
)
async def test_numbers_beyond_float32_are_422_for_their_row_and_feature(
    admin_client: httpx.AsyncClient, literal: str, message: str
) -> None:
    created = await upload(admin_client, "plain", hostile.wide_rows(4), features=[{"name": "x"}])
    assert created.status_code == 201, created.text
    response = await _post(admin_client, "plain", f'{{"rows": [{{"x": 1}}, {{"x": {literal}}}]}}')
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "rows", 1, "x"]
    assert message in error["msg"]


async def test_an_integer_feature_with_a_huge_integer_is_422(
    admin_client: httpx.AsyncClient, int_model: bytes
) -> None:
    features = [{"name": "n", "type": "int"}]
    created = await upload(admin_client, "sign", int_model, features=features)
    assert created.status_code == 201, created.text
    response = await _post(admin_client, "sign", f'{{"rows": [{{"n": {HUGE_INTEGER}}}]}}')
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "rows", 0, "n"]


async def test_rows_the_model_overflows_on_are_422_not_null_probabilities(
    admin_client: httpx.AsyncClient,
) -> None:
    # x * 1e38 is finite for x = 1 and infinite for x = 10: only row 1 has no answer.
    created = await upload(admin_client, "scaled", hostile.overflowing(), features=[{"name": "x"}])
    assert created.status_code == 201, created.text
    rows = {"rows": [{"x": 1.0}, {"x": 10.0}, {"x": 0.5}]}
    response = await admin_client.post("/models/scaled/predictions", json=rows)
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "rows", 1]
    assert error["type"] == "model_output_not_finite"
    fine = await admin_client.post("/models/scaled/predictions", json={"rows": [{"x": 1.0}]})
    assert fine.status_code == 200
    assert None not in fine.json()["predictions"][0]["probabilities"].values()


async def test_rows_the_model_cannot_run_are_422_not_500(admin_client: httpx.AsyncClient) -> None:
    created = await upload(
        admin_client, "table", hostile.indexing_by_value(), features=[{"name": "x"}]
    )
    assert created.status_code == 201, created.text
    ok = await admin_client.post("/models/table/predictions", json={"rows": [{"x": 1.0}]})
    assert ok.status_code == 200, ok.text
    response = await admin_client.post("/models/table/predictions", json={"rows": [{"x": 7.0}]})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("model-run-failed")
    assert "Traceback" not in response.text
