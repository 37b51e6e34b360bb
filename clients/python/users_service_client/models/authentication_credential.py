from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.authentication_credential_authenticator_attachment_type_0 import (
    AuthenticationCredentialAuthenticatorAttachmentType0,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.assertion_response import AssertionResponse
    from ..models.clientextensionresults import Clientextensionresults


T = TypeVar("T", bound="AuthenticationCredential")


@_attrs_define
class AuthenticationCredential:
    """`AuthenticationResponseJSON`: `navigator.credentials.get()`'s result, as JSON.

    Attributes:
        id (str):
        raw_id (str):
        type_ (Literal['public-key']):
        response (AssertionResponse): `AuthenticatorAssertionResponseJSON`: the authenticator's signature.
        authenticator_attachment (AuthenticationCredentialAuthenticatorAttachmentType0 | None | Unset):
        client_extension_results (Clientextensionresults | Unset):
    """

    id: str
    raw_id: str
    type_: Literal["public-key"]
    response: AssertionResponse
    authenticator_attachment: AuthenticationCredentialAuthenticatorAttachmentType0 | None | Unset = UNSET
    client_extension_results: Clientextensionresults | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        raw_id = self.raw_id

        type_ = self.type_

        response = self.response.to_dict()

        authenticator_attachment: None | str | Unset
        if isinstance(self.authenticator_attachment, Unset):
            authenticator_attachment = UNSET
        elif isinstance(self.authenticator_attachment, AuthenticationCredentialAuthenticatorAttachmentType0):
            authenticator_attachment = self.authenticator_attachment.value
        else:
            authenticator_attachment = self.authenticator_attachment

        client_extension_results: dict[str, Any] | Unset = UNSET
        if not isinstance(self.client_extension_results, Unset):
            client_extension_results = self.client_extension_results.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "rawId": raw_id,
                "type": type_,
                "response": response,
            }
        )
        if authenticator_attachment is not UNSET:
            field_dict["authenticatorAttachment"] = authenticator_attachment
        if client_extension_results is not UNSET:
            field_dict["clientExtensionResults"] = client_extension_results

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.assertion_response import AssertionResponse  # noqa: PLC0415
        from ..models.clientextensionresults import Clientextensionresults  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        raw_id = d.pop("rawId")

        type_ = cast(Literal["public-key"], d.pop("type"))
        if type_ != "public-key":
            raise ValueError(f"type must match const 'public-key', got '{type_}'")

        response = AssertionResponse.from_dict(d.pop("response"))

        def _parse_authenticator_attachment(
            data: object,
        ) -> AuthenticationCredentialAuthenticatorAttachmentType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                authenticator_attachment_type_0 = AuthenticationCredentialAuthenticatorAttachmentType0(data)

                return authenticator_attachment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuthenticationCredentialAuthenticatorAttachmentType0 | None | Unset, data)

        authenticator_attachment = _parse_authenticator_attachment(d.pop("authenticatorAttachment", UNSET))

        _client_extension_results = d.pop("clientExtensionResults", UNSET)
        client_extension_results: Clientextensionresults | Unset
        if isinstance(_client_extension_results, Unset):
            client_extension_results = UNSET
        else:
            client_extension_results = Clientextensionresults.from_dict(_client_extension_results)

        authentication_credential = cls(
            id=id,
            raw_id=raw_id,
            type_=type_,
            response=response,
            authenticator_attachment=authenticator_attachment,
            client_extension_results=client_extension_results,
        )

        authentication_credential.additional_properties = d
        return authentication_credential

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
