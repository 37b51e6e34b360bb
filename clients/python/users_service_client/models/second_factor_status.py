from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.second_factor_status_state_type_0 import SecondFactorStatusStateType0

T = TypeVar("T", bound="SecondFactorStatus")


@_attrs_define
class SecondFactorStatus:
    """Whether the caller's account has a second factor; never the secret itself.

    Attributes:
        enabled (bool): True once an enrolment was confirmed.
        state (None | SecondFactorStatusStateType0):
        confirmed_at (datetime.datetime | None):
        recovery_codes_left (int): Unused recovery codes of the current set.
    """

    enabled: bool
    state: None | SecondFactorStatusStateType0
    confirmed_at: datetime.datetime | None
    recovery_codes_left: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        state: None | str
        if isinstance(self.state, SecondFactorStatusStateType0):
            state = self.state.value
        else:
            state = self.state

        confirmed_at: None | str
        if isinstance(self.confirmed_at, datetime.datetime):
            confirmed_at = self.confirmed_at.isoformat()
        else:
            confirmed_at = self.confirmed_at

        recovery_codes_left = self.recovery_codes_left

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enabled": enabled,
                "state": state,
                "confirmed_at": confirmed_at,
                "recovery_codes_left": recovery_codes_left,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled")

        def _parse_state(data: object) -> None | SecondFactorStatusStateType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_0 = SecondFactorStatusStateType0(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SecondFactorStatusStateType0, data)

        state = _parse_state(d.pop("state"))

        def _parse_confirmed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                confirmed_at_type_0 = datetime.datetime.fromisoformat(data)

                return confirmed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        confirmed_at = _parse_confirmed_at(d.pop("confirmed_at"))

        recovery_codes_left = d.pop("recovery_codes_left")

        second_factor_status = cls(
            enabled=enabled,
            state=state,
            confirmed_at=confirmed_at,
            recovery_codes_left=recovery_codes_left,
        )

        second_factor_status.additional_properties = d
        return second_factor_status

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
