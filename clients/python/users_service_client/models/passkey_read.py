from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PasskeyRead")


@_attrs_define
class PasskeyRead:
    """One of the caller's passkeys (never its key material).

    Attributes:
        id (str): The passkey's id in this service (for DELETE).
        name (str):
        created_at (datetime.datetime):
        last_used_at (datetime.datetime | None): The latest login with it, if any.
        transports (list[str]): How the browser reaches the authenticator.
        backed_up (bool): Whether the passkey is synced (a password manager).
        disabled (bool): True when it signs no login: its signature counter went backwards, as a copied authenticator's
            does. Remove it and register a new one.
    """

    id: str
    name: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    transports: list[str]
    backed_up: bool
    disabled: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        created_at = self.created_at.isoformat()

        last_used_at: None | str
        if isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        transports = self.transports

        backed_up = self.backed_up

        disabled = self.disabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "created_at": created_at,
                "last_used_at": last_used_at,
                "transports": transports,
                "backed_up": backed_up,
                "disabled": disabled,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_last_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at"))

        transports = cast(list[str], d.pop("transports"))

        backed_up = d.pop("backed_up")

        disabled = d.pop("disabled")

        passkey_read = cls(
            id=id,
            name=name,
            created_at=created_at,
            last_used_at=last_used_at,
            transports=transports,
            backed_up=backed_up,
            disabled=disabled,
        )

        passkey_read.additional_properties = d
        return passkey_read

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
