from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.audit_event_type import AuditEventType

if TYPE_CHECKING:
    from ..models.audit_event_detail import AuditEventDetail


T = TypeVar("T", bound="AuditEventRead")


@_attrs_define
class AuditEventRead:
    """One security event: whose account, who caused it, what, when and from where.

    Example:
        {'actor_id': '6744a1f0c2b5e3a1d4f0a002', 'address': '203.0.113.7', 'at': '2026-12-03T12:00:00.123Z', 'detail':
            {'new': 'admin', 'old': 'user'}, 'id': '6744a1f0c2b5e3a1d4f0b001', 'request_id':
            '5f0c6e1e9a2b4c1d8e7f6a5b4c3d2e1f', 'type': 'role.changed', 'user_agent': 'curl/8.5.0', 'user_id':
            '6744a1f0c2b5e3a1d4f0a001'}

    Attributes:
        id (str):  Example: 5eb7cf5a86d9755df3a6c593.
        type_ (AuditEventType): Every security event the trail records (dotted like the log events).
        user_id (None | str): Whose account it concerns; null for a failed login naming no account and for service-wide
            events (key rotation).
        actor_id (None | str): Who caused it: the user, an admin, or null (someone unknown, the service).
        at (datetime.datetime):
        address (None | str): The client address of the request.
        user_agent (None | str):
        request_id (None | str): The request's `X-Request-ID`, to find its logs.
        detail (AuditEventDetail): Particulars, never secrets: a failure's `reason`, the `old` and `new` value of a
            change, the `session` that ended.
    """

    id: str
    type_: AuditEventType
    user_id: None | str
    actor_id: None | str
    at: datetime.datetime
    address: None | str
    user_agent: None | str
    request_id: None | str
    detail: AuditEventDetail
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        user_id: None | str
        user_id = self.user_id

        actor_id: None | str
        actor_id = self.actor_id

        at = self.at.isoformat()

        address: None | str
        address = self.address

        user_agent: None | str
        user_agent = self.user_agent

        request_id: None | str
        request_id = self.request_id

        detail = self.detail.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "user_id": user_id,
                "actor_id": actor_id,
                "at": at,
                "address": address,
                "user_agent": user_agent,
                "request_id": request_id,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_event_detail import AuditEventDetail  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = AuditEventType(d.pop("type"))

        def _parse_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_id = _parse_user_id(d.pop("user_id"))

        def _parse_actor_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor_id = _parse_actor_id(d.pop("actor_id"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        address = _parse_address(d.pop("address"))

        def _parse_user_agent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_agent = _parse_user_agent(d.pop("user_agent"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        detail = AuditEventDetail.from_dict(d.pop("detail"))

        audit_event_read = cls(
            id=id,
            type_=type_,
            user_id=user_id,
            actor_id=actor_id,
            at=at,
            address=address,
            user_agent=user_agent,
            request_id=request_id,
            detail=detail,
        )

        audit_event_read.additional_properties = d
        return audit_event_read

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
