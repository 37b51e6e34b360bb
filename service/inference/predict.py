"""Answer a prediction request: validate, look in the cache, else run the model."""

from __future__ import annotations

import time
from typing import Any

from service.inference.models import ModelVersion
from service.inference.onnx_files import predict_probabilities
from service.inference.runtime import Serving
from service.inference.schemas import Prediction, PredictionResponse
from service.inference.storage import ModelStorage
from service.inference.validation import matrix_digest, validate_rows
from service.model_metrics import ModelMetrics


def _predictions(labels: list[str], probabilities: list[list[float]]) -> list[dict[str, Any]]:
    answers = []
    for row in probabilities:
        best = max(range(len(row)), key=row.__getitem__)
        answers.append(
            {"label": labels[best], "probabilities": dict(zip(labels, row, strict=True))}
        )
    return answers


async def predict(
    model: ModelVersion,
    rows: list[dict[str, Any]],
    serving: Serving,
    storage: ModelStorage,
    metrics: ModelMetrics,
) -> PredictionResponse:
    """Predictions for `rows` by `model`; identical requests come from the worker's cache.

    The cache key is the version's id and file digest plus a digest of the validated
    matrix, so rows equal as numbers (`1` and `1.0`, any key order) share one entry.
    """
    matrix = validate_rows(rows, model.features)
    key = (f"{model.id}:{model.sha256}", matrix_digest(matrix))
    version = str(model.version)
    answers = serving.predictions.get(key)
    cached = answers is not None
    metrics.cache.labels(result="hit" if cached else "miss").inc()
    if answers is None:
        started = time.perf_counter()
        session = await serving.session(
            model.sha256, model.size, lambda: storage.get(model.blob_id)
        )
        probabilities = await serving.gate.run_sync(
            predict_probabilities, session, model.input_name, model.probability_output, matrix
        )
        answers = _predictions(model.labels, probabilities)
        metrics.seconds.labels(model.name, version).observe(time.perf_counter() - started)
        serving.predictions.put(key, answers, cost=len(answers))
    metrics.predictions.labels(model.name, version).inc()
    metrics.rows.labels(model.name, version).inc(len(rows))
    return PredictionResponse(
        model=model.name,
        version=model.version,
        cached=cached,
        predictions=[Prediction.model_validate(answer) for answer in answers],
    )
