"""Request and response bodies of the model routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from service.models.documents import FeatureSpec, ModelVersion

MAX_ROWS = 1000


class VersionRead(BaseModel):
    """One stored version: its schema, labels, metrics and provenance."""

    version: int
    active: bool
    features: list[FeatureSpec]
    labels: list[str]
    metrics: dict[str, float]
    sha256: str
    size: int
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, document: ModelVersion, active: bool) -> VersionRead:
        """The public view of a stored version."""
        fields = document.model_dump(include=set(cls.model_fields) - {"active"})
        return cls.model_validate({**fields, "active": active})


class ModelRead(BaseModel):
    """A model: its name, its active version (if any) and every version."""

    name: str
    active_version: int | None
    versions: list[VersionRead]


class ModelSummary(BaseModel):
    """A model in the list: name, version numbers and the active one."""

    name: str
    active_version: int | None
    latest_version: int
    versions: int


class VersionPatch(BaseModel):
    """Activate or deactivate a version (activating one deactivates the others)."""

    model_config = ConfigDict(extra="forbid")
    active: bool


Row = dict[str, Any]


class PredictionRequest(BaseModel):
    """1 to 1000 rows, each mapping every feature of the model's schema to a number."""

    model_config = ConfigDict(extra="forbid")
    rows: Annotated[list[Row], Field(min_length=1, max_length=MAX_ROWS)]


class Prediction(BaseModel):
    """The most probable class of one row and the probability of every class."""

    label: str
    probabilities: dict[str, float]


class PredictionResponse(BaseModel):
    """Predictions in the order of the rows, and which version made them."""

    model: str
    version: int
    cached: bool
    predictions: list[Prediction]


FEATURES = TypeAdapter(Annotated[list[FeatureSpec], Field(min_length=1, max_length=10_000)])
LABELS = TypeAdapter(
    Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(min_length=1)]
)
METRICS = TypeAdapter(dict[str, float])
