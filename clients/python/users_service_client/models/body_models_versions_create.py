from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="BodyModelsVersionsCreate")


@_attrs_define
class BodyModelsVersionsCreate:
    """
    Attributes:
        file (File): The .onnx file.
        features (None | str | Unset):
        labels (None | str | Unset):
        metrics (None | str | Unset):
        activate (bool | None | Unset):
    """

    file: File
    features: None | str | Unset = UNSET
    labels: None | str | Unset = UNSET
    metrics: None | str | Unset = UNSET
    activate: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        features: None | str | Unset
        if isinstance(self.features, Unset):
            features = UNSET
        else:
            features = self.features

        labels: None | str | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        else:
            labels = self.labels

        metrics: None | str | Unset
        if isinstance(self.metrics, Unset):
            metrics = UNSET
        else:
            metrics = self.metrics

        activate: bool | None | Unset
        if isinstance(self.activate, Unset):
            activate = UNSET
        else:
            activate = self.activate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
            }
        )
        if features is not UNSET:
            field_dict["features"] = features
        if labels is not UNSET:
            field_dict["labels"] = labels
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if activate is not UNSET:
            field_dict["activate"] = activate

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        if not isinstance(self.features, Unset):
            if isinstance(self.features, str):
                files.append(("features", (None, str(self.features).encode(), "text/plain")))
            else:
                files.append(("features", (None, str(self.features).encode(), "text/plain")))

        if not isinstance(self.labels, Unset):
            if isinstance(self.labels, str):
                files.append(("labels", (None, str(self.labels).encode(), "text/plain")))
            else:
                files.append(("labels", (None, str(self.labels).encode(), "text/plain")))

        if not isinstance(self.metrics, Unset):
            if isinstance(self.metrics, str):
                files.append(("metrics", (None, str(self.metrics).encode(), "text/plain")))
            else:
                files.append(("metrics", (None, str(self.metrics).encode(), "text/plain")))

        if not isinstance(self.activate, Unset):
            if isinstance(self.activate, bool):
                files.append(("activate", (None, str(self.activate).encode(), "text/plain")))
            else:
                files.append(("activate", (None, str(self.activate).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        def _parse_features(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        features = _parse_features(d.pop("features", UNSET))

        def _parse_labels(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        labels = _parse_labels(d.pop("labels", UNSET))

        def _parse_metrics(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        metrics = _parse_metrics(d.pop("metrics", UNSET))

        def _parse_activate(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        activate = _parse_activate(d.pop("activate", UNSET))

        body_models_versions_create = cls(
            file=file,
            features=features,
            labels=labels,
            metrics=metrics,
            activate=activate,
        )

        body_models_versions_create.additional_properties = d
        return body_models_versions_create

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
