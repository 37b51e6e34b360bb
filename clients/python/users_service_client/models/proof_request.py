from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ProofRequest")


@_attrs_define
class ProofRequest:
    """The password and a current code (or a recovery code), for changing the factor.

    Attributes:
        password (str):
        code (str):
    """

    password: str
    code: str

    def to_dict(self) -> dict[str, Any]:
        password = self.password

        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "password": password,
                "code": code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        password = d.pop("password")

        code = d.pop("code")

        proof_request = cls(
            password=password,
            code=code,
        )

        return proof_request
