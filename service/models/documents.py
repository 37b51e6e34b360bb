"""The `model_versions` collection: one document per uploaded ONNX file of a named model."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from beanie import Document
from pydantic import BaseModel, Field
from pymongo import ASCENDING, IndexModel

from service.core.clock import utc_now

FEATURE_NAME = r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$"
MODEL_NAME = r"^[a-z0-9][a-z0-9_.-]{0,63}$"


class FeatureSpec(BaseModel):
    """One input column: its name, its type and, optionally, its allowed closed range."""

    name: str = Field(pattern=FEATURE_NAME)
    type: Literal["float", "int"] = "float"
    min: float | None = None
    max: float | None = None


class ModelVersion(Document):
    """A stored ONNX file with its input schema, class labels and training metrics.

    The bytes live in GridFS (`blob_id`); `(name, version)` is unique. Which version is
    active is not stored here but on the model's head document (`service.models.heads`),
    so switching it is one atomic write and two versions can never both be active.
    """

    name: str
    version: int
    features: list[FeatureSpec]
    labels: list[str]
    metrics: dict[str, float] = Field(default_factory=dict)
    input_name: str
    probability_output: str
    sha256: str
    size: int
    blob_id: str
    created_at: datetime = Field(default_factory=utc_now)
    created_by: str

    class Settings:
        name = "model_versions"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            IndexModel(
                [("name", ASCENDING), ("version", ASCENDING)], name="name_version", unique=True
            ),
            IndexModel([("name", ASCENDING), ("sha256", ASCENDING)], name="name_sha256"),
        ]


class ModelHead(Document):
    """One per model name: its version counter and its active version (`service.models.heads`)."""

    id: str | None = None  # type: ignore[assignment]  # the model's name, not an ObjectId
    next: int = 0
    active: int | None = None

    class Settings:
        name = "model_heads"
