from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.prediction_request_rows_item import PredictionRequestRowsItem


T = TypeVar("T", bound="PredictionRequest")


@_attrs_define
class PredictionRequest:
    """1 to 1000 rows, each mapping every feature of the model's schema to a number.

    Attributes:
        rows (list[PredictionRequestRowsItem]):
    """

    rows: list[PredictionRequestRowsItem]

    def to_dict(self) -> dict[str, Any]:
        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prediction_request_rows_item import PredictionRequestRowsItem  # noqa: PLC0415

        d = dict(src_dict)
        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = PredictionRequestRowsItem.from_dict(rows_item_data)

            rows.append(rows_item)

        prediction_request = cls(
            rows=rows,
        )

        return prediction_request
