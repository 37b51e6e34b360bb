from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.feature_spec import FeatureSpec
    from ..models.metrics import Metrics


T = TypeVar("T", bound="VersionRead")


@_attrs_define
class VersionRead:
    """One stored version: its schema, labels, metrics and provenance.

    Attributes:
        version (int):
        active (bool):
        features (list[FeatureSpec]):
        labels (list[str]):
        metrics (Metrics):
        sha256 (str):
        size (int):
        created_at (datetime.datetime):
        created_by (str):
    """

    version: int
    active: bool
    features: list[FeatureSpec]
    labels: list[str]
    metrics: Metrics
    sha256: str
    size: int
    created_at: datetime.datetime
    created_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        active = self.active

        features = []
        for features_item_data in self.features:
            features_item = features_item_data.to_dict()
            features.append(features_item)

        labels = self.labels

        metrics = self.metrics.to_dict()

        sha256 = self.sha256

        size = self.size

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "active": active,
                "features": features,
                "labels": labels,
                "metrics": metrics,
                "sha256": sha256,
                "size": size,
                "created_at": created_at,
                "created_by": created_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.feature_spec import FeatureSpec  # noqa: PLC0415
        from ..models.metrics import Metrics  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        active = d.pop("active")

        features = []
        _features = d.pop("features")
        for features_item_data in _features:
            features_item = FeatureSpec.from_dict(features_item_data)

            features.append(features_item)

        labels = cast(list[str], d.pop("labels"))

        metrics = Metrics.from_dict(d.pop("metrics"))

        sha256 = d.pop("sha256")

        size = d.pop("size")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        version_read = cls(
            version=version,
            active=active,
            features=features,
            labels=labels,
            metrics=metrics,
            sha256=sha256,
            size=size,
            created_at=created_at,
            created_by=created_by,
        )

        version_read.additional_properties = d
        return version_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
