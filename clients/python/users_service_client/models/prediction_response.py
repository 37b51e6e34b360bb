from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.prediction import Prediction


T = TypeVar("T", bound="PredictionResponse")


@_attrs_define
class PredictionResponse:
    """Predictions in the order of the rows, and which version made them.

    Attributes:
        model (str):
        version (int):
        cached (bool):
        predictions (list[Prediction]):
    """

    model: str
    version: int
    cached: bool
    predictions: list[Prediction]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        version = self.version

        cached = self.cached

        predictions = []
        for predictions_item_data in self.predictions:
            predictions_item = predictions_item_data.to_dict()
            predictions.append(predictions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "version": version,
                "cached": cached,
                "predictions": predictions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prediction import Prediction  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        version = d.pop("version")

        cached = d.pop("cached")

        predictions = []
        _predictions = d.pop("predictions")
        for predictions_item_data in _predictions:
            predictions_item = Prediction.from_dict(predictions_item_data)

            predictions.append(predictions_item)

        prediction_response = cls(
            model=model,
            version=version,
            cached=cached,
            predictions=predictions,
        )

        prediction_response.additional_properties = d
        return prediction_response

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
