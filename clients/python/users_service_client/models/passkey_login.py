from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.authentication_credential import AuthenticationCredential


T = TypeVar("T", bound="PasskeyLogin")


@_attrs_define
class PasskeyLogin:
    """The authenticator's answer to the login options.

    Attributes:
        credential (AuthenticationCredential): `AuthenticationResponseJSON`: `navigator.credentials.get()`'s result, as
            JSON.
    """

    credential: AuthenticationCredential
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credential = self.credential.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "credential": credential,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.authentication_credential import AuthenticationCredential  # noqa: PLC0415

        d = dict(src_dict)
        credential = AuthenticationCredential.from_dict(d.pop("credential"))

        passkey_login = cls(
            credential=credential,
        )

        passkey_login.additional_properties = d
        return passkey_login

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
