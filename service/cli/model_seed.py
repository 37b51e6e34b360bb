"""`python -m service train`: train the bundled iris classifier and register it (idempotent)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import structlog

from service.core.admission import AdmissionGate
from service.core.config import Settings
from service.core.database import create_client
from service.models import service as models
from service.models.documents import FeatureSpec
from service.models.storage import ModelStorage
from service.models.train import TrainedModel, train_iris
from service.models.writes import Upload
from service.startup.builders import build_model_limits
from service.startup.documents import init_models

log = structlog.get_logger(__name__)
IRIS_MODEL = "iris"


@dataclass(frozen=True)
class TrainReport:
    """What `train` did: the model's accuracy and the version now holding it."""

    accuracy: float
    version: int
    created: bool


async def register_trained(
    settings: Settings, trained: TrainedModel, name: str = IRIS_MODEL
) -> TrainReport:
    """Store `trained` as a new version of `name` unless a version has the same bytes."""
    client = create_client(settings)
    try:
        database = client[settings.mongodb_db]
        await init_models(database)
        existing = await models.find_by_digest(name, hashlib.sha256(trained.onnx).hexdigest())
        if existing is not None:
            return TrainReport(trained.metrics["accuracy"], existing.version, created=False)
        upload = Upload(
            name=name,
            data=trained.onnx,
            features=[FeatureSpec.model_validate(spec) for spec in trained.features],
            labels=trained.labels,
            metrics=trained.metrics,
            created_by="python -m service train",
        )
        gate = AdmissionGate("inference", 1, settings.inference_max_wait_s)
        stored, _ = await models.register_version(
            upload, ModelStorage(database), gate, build_model_limits(settings)
        )
    finally:
        await client.close()
    log.info("model.trained", model=name, version=stored.version, **trained.metrics)
    return TrainReport(trained.metrics["accuracy"], stored.version, created=True)


async def train_and_register(settings: Settings) -> TrainReport:
    """Train iris and store it (training blocks the loop, which is fine: nothing else runs)."""
    return await register_trained(settings, train_iris())
