from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserUpdate")


@_attrs_define
class UserUpdate:
    """PATCH body with JSON merge-patch semantics: absent means keep, `null` clears `name`.

    Attributes:
        role (Role | Unset): What a user may do: `admin` manages everyone, `user` only themselves.
        is_active (bool | Unset): Admin only.
        username (str | Unset): 3-32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit. NFKC-
            normalised and lower-cased before it is checked and stored; a name that looks like an existing one (see README)
            is refused with 409.
        email (str | Unset): An email address (RFC 5321 and email-validator's rules, at a domain that is not special-use
            such as `.test` or `.local`); stored lower-case.
        name (None | str | Unset):
    """

    role: Role | Unset = UNSET
    is_active: bool | Unset = UNSET
    username: str | Unset = UNSET
    email: str | Unset = UNSET
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        is_active = self.is_active

        username = self.username

        email = self.email

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if role is not UNSET:
            field_dict["role"] = role
        if is_active is not UNSET:
            field_dict["is_active"] = is_active
        if username is not UNSET:
            field_dict["username"] = username
        if email is not UNSET:
            field_dict["email"] = email
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _role = d.pop("role", UNSET)
        role: Role | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = Role(_role)

        is_active = d.pop("is_active", UNSET)

        username = d.pop("username", UNSET)

        email = d.pop("email", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        user_update = cls(
            role=role,
            is_active=is_active,
            username=username,
            email=email,
            name=name,
        )

        return user_update
