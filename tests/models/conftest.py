"""Fixtures of the model tests: real ONNX files made by skl2onnx and by the onnx helpers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import onnx
import pytest
from onnx import TensorProto, helper

from service.models.train import TrainedModel, train_iris

SETOSA = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
VIRGINICA = {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.8, "petal_width": 2.2}


@pytest.fixture(scope="session")
def iris() -> TrainedModel:
    """The bundled iris classifier, trained and converted once for the session."""
    return train_iris()


@pytest.fixture(scope="session")
def int_model() -> bytes:
    """A hand-built two-class model over one integer-valued feature (onnx helper API)."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 1])
    y = helper.make_tensor_value_info("p", TensorProto.FLOAT, [None, 2])
    # p = softmax([x, -x]): positive x is class "pos".
    weights = helper.make_tensor("w", TensorProto.FLOAT, [1, 2], [1.0, -1.0])
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["z"]), helper.make_node("Softmax", ["z"], ["p"])],
        "sign",
        [x],
        [y],
        [weights],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


async def upload(
    client: httpx.AsyncClient,
    name: str,
    data: bytes,
    filename: str = "model.onnx",
    **fields: Any,
) -> httpx.Response:
    """POST a version as multipart; JSON-able fields are sent as JSON text."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    return await client.post(
        f"/models/{name}/versions",
        files={"file": (filename, data, "application/octet-stream")},
        data=form,
    )


async def upload_iris(client: httpx.AsyncClient, iris: TrainedModel, name: str = "iris") -> Any:
    """Upload the iris model with its declared schema; return the created version."""
    response = await upload(
        client, name, iris.onnx, features=iris.features, labels=iris.labels, metrics=iris.metrics
    )
    assert response.status_code == 201, response.text
    return response.json()
