"""The only write path of models: register a version, (de)activate it, delete it."""

from __future__ import annotations

import hashlib

import structlog

from service.core.admission import AdmissionGate
from service.models import heads
from service.models.documents import FeatureSpec, ModelVersion
from service.models.errors import InvalidModelFile, ModelNotFound, NoActiveVersion
from service.models.onnx_files import GraphInfo, ModelLimits, NotServable, inspect_onnx
from service.models.ort_limits import ModelRun
from service.models.slots import run_in_slot
from service.models.storage import ModelStorage
from service.models.writes import Upload, store_version

log = structlog.get_logger(__name__)

Examined = tuple[GraphInfo, list[FeatureSpec], list[str]]


def _schema(
    upload: Upload, n_features: int, n_classes: int, graph_labels: list[str] | None
) -> tuple[list[FeatureSpec], list[str]]:
    features = upload.features or [FeatureSpec(name=f"f{i}") for i in range(n_features)]
    if len(features) != n_features:
        raise InvalidModelFile(
            f"`features` names {len(features)} features; the model takes {n_features}."
        )
    if len({spec.name for spec in features}) != len(features):
        raise InvalidModelFile("`features` names a feature twice.")
    labels = upload.labels or graph_labels or [str(i) for i in range(n_classes)]
    if len(labels) != n_classes:
        raise InvalidModelFile(f"`labels` names {len(labels)} classes; the model has {n_classes}.")
    return features, labels


def _examine(upload: Upload, limits: ModelLimits, run: ModelRun) -> Examined:
    """The graph and the version's schema (runs in a worker thread: building a schema of
    `MODEL_MAX_FEATURES` entries is not the event loop's work)."""
    try:
        graph = inspect_onnx(upload.data, limits, run)
    except NotServable as exc:
        raise InvalidModelFile(str(exc)) from None
    features, labels = _schema(upload, graph.n_features, graph.n_classes, graph.class_labels)
    return graph, features, labels


async def register_version(
    upload: Upload, storage: ModelStorage, gate: AdmissionGate, limits: ModelLimits
) -> tuple[ModelVersion, bool]:
    """Check the file (parse, analyse, load, one test row) before anything is stored, then
    store it: the file, a version number, the metadata; all of them or none.

    Returns the version and whether it is now the active one: the first version of a
    model becomes active unless the uploader says otherwise.
    """
    if upload.features is not None and len(upload.features) > limits.max_features:
        raise InvalidModelFile(f"At most {limits.max_features} features (MODEL_MAX_FEATURES).")
    run = ModelRun(limits.run_timeout_s)
    graph, features, labels = await run_in_slot(
        gate, _examine, upload, limits, run, on_cancel=lambda: run.stop("cancelled")
    )
    sha256 = hashlib.sha256(upload.data).hexdigest()
    document = await store_version(upload, storage, graph, features, labels, sha256)
    log.info(
        "model.uploaded",
        model=upload.name,
        version=document.version,
        sha256=sha256,
        size=document.size,
        actor=upload.created_by,
    )
    active = False
    if upload.activate is not False:
        active = await heads.activate(
            upload.name, document.version, only_if_none=upload.activate is None
        )
        if active:
            log.info(
                "model.activated",
                model=upload.name,
                version=document.version,
                actor=upload.created_by,
            )
    return document, active


async def versions(name: str) -> list[ModelVersion]:
    """Every version of a model, oldest first; `ModelNotFound` when there is none."""
    found = await ModelVersion.find({"name": name}).sort("+version").to_list()
    if not found:
        raise ModelNotFound(f"No model is named {name!r}.")
    return found


async def all_versions() -> list[ModelVersion]:
    """Every version of every model, by name then version."""
    return await ModelVersion.find({}).sort("+name", "+version").to_list()


async def find_version(name: str, version: int | None) -> ModelVersion:
    """The given version, or the active one when `version` is None."""
    wanted = version if version is not None else await heads.active_version(name)
    if wanted is None:
        await versions(name)  # 404 when the model does not exist at all
        raise NoActiveVersion(f"No version of {name!r} is active; activate one or pass ?version=.")
    found = await ModelVersion.find_one({"name": name, "version": wanted})
    if found is None:
        raise ModelNotFound(f"Model {name!r} has no version {wanted}.")
    return found


async def find_by_digest(name: str, sha256: str) -> ModelVersion | None:
    """A version of `name` stored from exactly these bytes, if any."""
    return await ModelVersion.find_one({"name": name, "sha256": sha256})


async def set_active(name: str, version: int, active: bool, actor: str) -> ModelVersion:
    """Make a version the active one (replacing any other), or deactivate it."""
    target = await find_version(name, version)
    if active:
        await heads.activate(name, version)
    else:
        await heads.deactivate(name, version)
    log.info(
        "model.activated" if active else "model.deactivated",
        model=name,
        version=version,
        actor=actor,
    )
    return target


async def delete_version(name: str, version: int, storage: ModelStorage, actor: str) -> None:
    """Remove a version's metadata, then its file; deleting the active one deactivates it."""
    target = await find_version(name, version)
    await heads.deactivate(name, version)
    await ModelVersion.get_pymongo_collection().delete_one({"_id": target.id})
    await storage.delete(target.blob_id)
    log.info("model.deleted", model=name, version=version, actor=actor)
