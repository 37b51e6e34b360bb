"""Answer a prediction request: validate, look in the cache, else run the model."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from service.core.errors import FieldError
from service.models.documents import ModelVersion
from service.models.errors import (
    InvalidRows,
    ModelResourcesExhausted,
    ModelRunFailed,
    ModelRunTimedOut,
)
from service.models.metrics import ModelMetrics
from service.models.onnx_files import predict_probabilities
from service.models.ort_limits import ModelRun, RunFailed, RunStopped
from service.models.runtime import Serving
from service.models.schemas import Prediction, PredictionResponse
from service.models.slots import run_in_slot
from service.models.storage import ModelStorage
from service.models.validation import matrix_digest, validate_rows


def _predictions(labels: list[str], probabilities: list[list[float]]) -> list[Prediction]:
    answers = []
    for row in probabilities:
        best = max(range(len(row)), key=row.__getitem__)
        answers.append(
            Prediction(label=labels[best], probabilities=dict(zip(labels, row, strict=True)))
        )
    return answers


def _not_finite(rows: list[int]) -> InvalidRows:
    return InvalidRows(
        [
            FieldError(
                loc=["body", "rows", row],
                msg="the model gives no finite probabilities for this row "
                "(its values are too large for the model)",
                type="model_output_not_finite",
            )
            for row in rows
        ]
    )


async def _run(
    model: ModelVersion,
    matrix: list[list[float]],
    serving: Serving,
    storage: ModelStorage,
    metrics: ModelMetrics,
) -> list[list[float]]:
    """Run the model under the worker's bounds; the slot stays taken until the run ends."""
    session = await serving.session(model.sha256, model.size, lambda: storage.get(model.blob_id))
    run = ModelRun(serving.limits.run_timeout_s)
    try:
        probabilities, not_finite = await run_in_slot(
            serving.gate,
            predict_probabilities,
            session,
            model.input_name,
            model.probability_output,
            matrix,
            run,
            on_cancel=lambda: run.stop("cancelled"),
        )
    except asyncio.CancelledError:
        metrics.stopped.labels(reason="cancelled").inc()  # `on_cancel` stopped it
        raise
    except RunStopped as stopped:
        metrics.stopped.labels(reason=stopped.reason).inc()
        if stopped.reason == "memory":
            raise ModelResourcesExhausted() from None
        raise ModelRunTimedOut(serving.limits.run_timeout_s) from None
    except RunFailed as failed:
        raise ModelRunFailed(f"The model could not run these rows ({failed}).") from None
    if not_finite:
        raise _not_finite(not_finite)
    return probabilities


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
        probabilities = await _run(model, matrix, serving, storage, metrics)
        answers = _predictions(model.labels, probabilities)
        metrics.seconds.labels(model.name, version).observe(time.perf_counter() - started)
        serving.predictions.put(key, answers, cost=len(answers))
    metrics.predictions.labels(model.name, version).inc()
    metrics.rows.labels(model.name, version).inc(len(rows))
    return PredictionResponse(
        model=model.name,
        version=model.version,
        cached=cached,
        predictions=answers,
    )
