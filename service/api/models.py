"""The models resource (ONNX classifiers): list, read, upload, (de)activate, delete, predict."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    Path,
    Query,
    Request,
    Response,
    UploadFile,
    status,
)
from pydantic import TypeAdapter, ValidationError

from service.api.declared_routes import declared
from service.api.deps import CurrentUser, Metrics, ModelStore, ServingState
from service.core.errors import InvalidParameter
from service.http.caching import none_match, strong_etag
from service.http.multipart import multipart_body
from service.http.problems import problem_responses
from service.http.routing import ServiceRoute
from service.models import heads, service
from service.models.documents import MODEL_NAME, ModelVersion
from service.models.errors import ModelFileTooLarge
from service.models.predict import predict
from service.models.schemas import (
    FEATURES,
    LABELS,
    METRICS,
    ModelRead,
    ModelSummary,
    PredictionRequest,
    PredictionResponse,
    VersionPatch,
    VersionRead,
)
from service.models.writes import Upload
from service.users.models import User
from service.users.permissions import require_admin

router = APIRouter(prefix="/models", tags=["models"], route_class=declared(ServiceRoute))

ModelName = Annotated[str, Path(pattern=MODEL_NAME, description="The model's name.")]
VersionNumber = Annotated[int, Path(ge=1, le=2**31, description="A version of the model.")]
OnnxFile = Annotated[
    UploadFile, File(description="The .onnx file.", json_schema_extra={"format": "binary"})
]
JsonField = Annotated[str | None, Form()]


MultipartBody = multipart_body("Upload the model as multipart/form-data with a `file` part.")


async def model_admin(caller: CurrentUser) -> User:
    """The caller, if an admin: only admins change models (403 `admin-only` otherwise)."""
    require_admin(caller, "Only an admin may change models.")
    return caller


ModelAdmin = Annotated[User, Depends(model_admin)]


def _parse(field: str, raw: str | None, adapter: TypeAdapter[Any]) -> Any:
    if raw is None:
        return None
    try:
        return adapter.validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidParameter(["body", field], f"{field}: {first['msg']}", first["type"]) from None


def _model_read(name: str, versions: list[ModelVersion], active: int | None) -> ModelRead:
    return ModelRead(
        name=name,
        active_version=active,
        versions=[VersionRead.of(v, v.version == active) for v in versions],
    )


@router.get(
    "",
    response_model=list[ModelSummary],
    summary="List models",
    description="Authenticated. Every stored model with its active and latest version.",
    responses=problem_responses(401, 503),
)
async def list_models(_: CurrentUser, __: ServingState) -> list[ModelSummary]:
    """Summaries of every model, by name."""
    active = await heads.active_versions()
    summaries: dict[str, ModelSummary] = {}
    for version in await service.all_versions():
        summary = summaries.setdefault(
            version.name,
            ModelSummary(
                name=version.name,
                active_version=active.get(version.name),
                latest_version=0,
                versions=0,
            ),
        )
        summary.versions += 1
        summary.latest_version = max(summary.latest_version, version.version)
    return list(summaries.values())


@router.get(
    "/{name}",
    response_model=ModelRead,
    summary="Read a model",
    description="Authenticated. Every version with its input schema, labels and metrics. "
    "`ETag`; `If-None-Match` gives 304.",
    responses={304: {"description": "Not Modified"}, **problem_responses(401, 404, 422, 503)},
)
async def read_model(
    name: ModelName, request: Request, response: Response, _: CurrentUser, __: ServingState
) -> ModelRead | Response:
    """One model and its versions."""
    versions = await service.versions(name)
    body = _model_read(name, versions, await heads.active_version(name))
    etag = strong_etag(hashlib.sha256(body.model_dump_json().encode()).hexdigest()[:32])
    if none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return body


@router.post(
    "/{name}/versions",
    response_model=VersionRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[MultipartBody],
    summary="Upload a version",
    description="Admin. Multipart: `file` (ONNX; pickles are refused), optional JSON form "
    "fields `features` ([{name, type: float|int, min, max}], default: read from the graph "
    "as f0..fn), `labels` (class names, default: from the graph), `metrics` ({name: "
    "number}), and `activate` (default: only when no version is active). The file is "
    "parsed, analysed (graphs whose output sizes or loop counts come from the input "
    "values, and more than `MODEL_MAX_FEATURES` features, are refused with 422), loaded "
    "and run on a test row under the run limits before anything is stored; a failed "
    "upload leaves nothing stored.",
    responses=problem_responses(400, 401, 403, 413, 415, 422, 503),
)
async def upload_version(
    name: ModelName,
    file: OnnxFile,
    request: Request,
    response: Response,
    caller: ModelAdmin,
    serving: ServingState,
    storage: ModelStore,
    metrics: Metrics,
    features: JsonField = None,
    labels: JsonField = None,
    training_metrics: Annotated[str | None, Form(alias="metrics")] = None,
    activate: Annotated[bool | None, Form()] = None,
) -> VersionRead:
    """Store a new version of `name`."""
    data = await file.read(serving.max_upload_bytes + 1)
    if len(data) > serving.max_upload_bytes:
        raise ModelFileTooLarge(f"The model file exceeds {serving.max_upload_bytes} bytes.")
    upload = Upload(
        name=name,
        data=data,
        features=_parse("features", features, FEATURES),
        labels=_parse("labels", labels, LABELS),
        metrics=_parse("metrics", training_metrics, METRICS) or {},
        created_by=caller.username,
        activate=activate,
    )
    stored, active = await service.register_version(upload, storage, serving.gate, serving.limits)
    metrics.models.uploads.labels(model=name).inc()
    response.headers["Location"] = str(request.url_for("read_model", name=name))
    return VersionRead.of(stored, active)


@router.patch(
    "/{name}/versions/{version}",
    response_model=VersionRead,
    summary="Activate or deactivate a version",
    description='Admin. `{"active": true}` makes this the version predictions use by '
    "default (and deactivates the others); `false` deactivates it.",
    responses=problem_responses(400, 401, 403, 404, 415, 422, 503),
)
async def patch_version(
    name: ModelName,
    version: VersionNumber,
    patch: VersionPatch,
    caller: ModelAdmin,
    _: ServingState,
) -> VersionRead:
    """Change whether a version is active."""
    stored = await service.set_active(name, version, patch.active, caller.username)
    return VersionRead.of(stored, patch.active)


@router.delete(
    "/{name}/versions/{version}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a version",
    description="Admin. Removes the version's metadata and its file.",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def delete_version(
    name: ModelName,
    version: VersionNumber,
    caller: ModelAdmin,
    _: ServingState,
    storage: ModelStore,
) -> Response:
    """Delete one version."""
    await service.delete_version(name, version, storage, caller.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{name}/predictions",
    response_model=PredictionResponse,
    summary="Predict",
    description='Authenticated. `{"rows": [{feature: number, ...}]}` with 1-1000 rows, '
    "each giving exactly the model's features as finite numbers within their ranges. Uses "
    "the active version unless `?version=` names one. Identical requests are answered "
    "from a per-worker cache (`cached: true`). A row the model overflows on is a 422 for "
    "that row. 503 (with `Retry-After`): `worker-busy` when the worker's inference queue "
    "is full, `model-run-timeout` after `MODEL_RUN_TIMEOUT_S`, `model-resources-exhausted` "
    "when the run needs more than `MODEL_ARENA_MAX_BYTES`.",
    responses=problem_responses(400, 401, 404, 409, 413, 415, 422, 503),
)
async def predictions(
    name: ModelName,
    body: PredictionRequest,
    _: CurrentUser,
    serving: ServingState,
    storage: ModelStore,
    metrics: Metrics,
    version: Annotated[int | None, Query(ge=1, le=2**31)] = None,
) -> PredictionResponse:
    """Classify the rows."""
    with serving.admitted():
        model = await service.find_version(name, version)
        return await predict(model, body.rows, serving, storage, metrics.models)
