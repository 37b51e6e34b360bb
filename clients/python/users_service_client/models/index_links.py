from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IndexLinks")


@_attrs_define
class IndexLinks:
    """Where to go next.

    Attributes:
        docs (None | str): Swagger UI (null when DOCS_ENABLED is off).
        redoc (None | str): ReDoc (null when DOCS_ENABLED is off).
        openapi (None | str): The OpenAPI document (null when OPENAPI_ENABLED is off).
        health (str): Health report.
        metrics (str): Prometheus metrics.
        users (str): The users resource.
    """

    docs: None | str
    redoc: None | str
    openapi: None | str
    health: str
    metrics: str
    users: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        docs: None | str
        docs = self.docs

        redoc: None | str
        redoc = self.redoc

        openapi: None | str
        openapi = self.openapi

        health = self.health

        metrics = self.metrics

        users = self.users

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "docs": docs,
                "redoc": redoc,
                "openapi": openapi,
                "health": health,
                "metrics": metrics,
                "users": users,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_docs(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        docs = _parse_docs(d.pop("docs"))

        def _parse_redoc(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        redoc = _parse_redoc(d.pop("redoc"))

        def _parse_openapi(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        openapi = _parse_openapi(d.pop("openapi"))

        health = d.pop("health")

        metrics = d.pop("metrics")

        users = d.pop("users")

        index_links = cls(
            docs=docs,
            redoc=redoc,
            openapi=openapi,
            health=health,
            metrics=metrics,
            users=users,
        )

        index_links.additional_properties = d
        return index_links

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
