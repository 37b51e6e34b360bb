from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserCreate")


@_attrs_define
class UserCreate:
    """A new user. Anyone registering sends `username` and `password`; an admin may leave out either: without `username`
    one is derived from the email (or the name), with a number appended when taken; without `password` the user is
    created with none usable and mailed an invitation link to choose one.

        Attributes:
            email (str): An email address (RFC 5321 and email-validator's rules, at a domain that is not special-use such as
                `.test` or `.local`); stored lower-case.
            role (Role | Unset): What a user may do: `admin` manages everyone, `user` only themselves.
            is_active (bool | Unset): Admin only.
            username (str | Unset): 3-32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit. NFKC-
                normalised and lower-cased before it is checked and stored; a name that looks like an existing one (see README)
                is refused with 409.
            password (str | Unset): 8-128 characters; write-only.
            name (None | str | Unset):
    """

    email: str
    role: Role | Unset = UNSET
    is_active: bool | Unset = UNSET
    username: str | Unset = UNSET
    password: str | Unset = UNSET
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        is_active = self.is_active

        username = self.username

        password = self.password

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
            }
        )
        if role is not UNSET:
            field_dict["role"] = role
        if is_active is not UNSET:
            field_dict["is_active"] = is_active
        if username is not UNSET:
            field_dict["username"] = username
        if password is not UNSET:
            field_dict["password"] = password
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        _role = d.pop("role", UNSET)
        role: Role | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = Role(_role)

        is_active = d.pop("is_active", UNSET)

        username = d.pop("username", UNSET)

        password = d.pop("password", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        user_create = cls(
            email=email,
            role=role,
            is_active=is_active,
            username=username,
            password=password,
            name=name,
        )

        return user_create
