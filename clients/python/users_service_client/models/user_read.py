from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserRead")


@_attrs_define
class UserRead:
    """A user as clients see it; secrets and internal fields are not part of it.

    Attributes:
        id (str):  Example: 5eb7cf5a86d9755df3a6c593.
        username (str):
        email (str):
        name (None | str):
        role (Role): What a user may do: `admin` manages everyone, `user` only themselves.
        is_active (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        is_verified (bool | Unset): Whether the owner confirmed the email address. Default: False.
        avatar_url (None | str | Unset): Absolute URL of the avatar.
    """

    id: str
    username: str
    email: str
    name: None | str
    role: Role
    is_active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    is_verified: bool | Unset = False
    avatar_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        username = self.username

        email = self.email

        name: None | str
        name = self.name

        role = self.role.value

        is_active = self.is_active

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        is_verified = self.is_verified

        avatar_url: None | str | Unset
        if isinstance(self.avatar_url, Unset):
            avatar_url = UNSET
        else:
            avatar_url = self.avatar_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "username": username,
                "email": email,
                "name": name,
                "role": role,
                "is_active": is_active,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if is_verified is not UNSET:
            field_dict["is_verified"] = is_verified
        if avatar_url is not UNSET:
            field_dict["avatar_url"] = avatar_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        username = d.pop("username")

        email = d.pop("email")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        role = Role(d.pop("role"))

        is_active = d.pop("is_active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        is_verified = d.pop("is_verified", UNSET)

        def _parse_avatar_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        avatar_url = _parse_avatar_url(d.pop("avatar_url", UNSET))

        user_read = cls(
            id=id,
            username=username,
            email=email,
            name=name,
            role=role,
            is_active=is_active,
            created_at=created_at,
            updated_at=updated_at,
            is_verified=is_verified,
            avatar_url=avatar_url,
        )

        user_read.additional_properties = d
        return user_read

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
