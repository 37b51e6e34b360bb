from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .. import types
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="UsersCreateFilesBody")


@_attrs_define
class UsersCreateFilesBody:
    """
    Attributes:
        email (str): An email address (RFC 5321 and email-validator's rules, at a domain that is not special-use such as
            `.test` or `.local`); stored lower-case.
        username (str | Unset): 3-32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit. NFKC-
            normalised and lower-cased before it is checked and stored; a name that looks like an existing one (see README)
            is refused with 409.
        password (str | Unset): 8-128 characters; write-only.
        name (str | Unset): Display name on one line: no control characters (CR, LF, tab, ...), line separators or
            bidirectional overrides; 1-100 characters, trimmed.
        avatar (File | Unset): Optional image.
    """

    email: str
    username: str | Unset = UNSET
    password: str | Unset = UNSET
    name: str | Unset = UNSET
    avatar: File | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        username = self.username

        password = self.password

        name = self.name

        avatar: FileTypes | Unset = UNSET
        if not isinstance(self.avatar, Unset):
            avatar = self.avatar.to_tuple()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
            }
        )
        if username is not UNSET:
            field_dict["username"] = username
        if password is not UNSET:
            field_dict["password"] = password
        if name is not UNSET:
            field_dict["name"] = name
        if avatar is not UNSET:
            field_dict["avatar"] = avatar

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("email", (None, str(self.email).encode(), "text/plain")))

        if not isinstance(self.username, Unset):
            files.append(("username", (None, str(self.username).encode(), "text/plain")))

        if not isinstance(self.password, Unset):
            files.append(("password", (None, str(self.password).encode(), "text/plain")))

        if not isinstance(self.name, Unset):
            files.append(("name", (None, str(self.name).encode(), "text/plain")))

        if not isinstance(self.avatar, Unset):
            files.append(("avatar", self.avatar.to_tuple()))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        username = d.pop("username", UNSET)

        password = d.pop("password", UNSET)

        name = d.pop("name", UNSET)

        _avatar = d.pop("avatar", UNSET)
        avatar: File | Unset
        if isinstance(_avatar, Unset):
            avatar = UNSET
        else:
            avatar = File(payload=BytesIO(_avatar))

        users_create_files_body = cls(
            email=email,
            username=username,
            password=password,
            name=name,
            avatar=avatar,
        )

        return users_create_files_body
