from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TotpEnrolment")


@_attrs_define
class TotpEnrolment:
    """A started enrolment: the secret is shown this once and never again.

    Attributes:
        secret (str): Base32 TOTP secret, for typing into an app by hand.
        otpauth_uri (str): `otpauth://totp/...` URI holding the secret.
        qr_image (str): The URI as a QR code: an SVG `data:` URI for `<img src>`.
        expires_at (datetime.datetime): Confirm with a first code before this time.
    """

    secret: str
    otpauth_uri: str
    qr_image: str
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        secret = self.secret

        otpauth_uri = self.otpauth_uri

        qr_image = self.qr_image

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "secret": secret,
                "otpauth_uri": otpauth_uri,
                "qr_image": qr_image,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        secret = d.pop("secret")

        otpauth_uri = d.pop("otpauth_uri")

        qr_image = d.pop("qr_image")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        totp_enrolment = cls(
            secret=secret,
            otpauth_uri=otpauth_uri,
            qr_image=qr_image,
            expires_at=expires_at,
        )

        totp_enrolment.additional_properties = d
        return totp_enrolment

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
