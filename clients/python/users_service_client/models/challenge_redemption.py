from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ChallengeRedemption")


@_attrs_define
class ChallengeRedemption:
    """The challenge of `POST /auth/token`'s 401 and a code (or a recovery code).

    Attributes:
        challenge (str):
        code (str):
    """

    challenge: str
    code: str

    def to_dict(self) -> dict[str, Any]:
        challenge = self.challenge

        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "challenge": challenge,
                "code": code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        challenge = d.pop("challenge")

        code = d.pop("code")

        challenge_redemption = cls(
            challenge=challenge,
            code=code,
        )

        return challenge_redemption
