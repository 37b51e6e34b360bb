"""Field types shared by more than one domain."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Protocol

from pydantic import Field

Password = Annotated[
    str,
    Field(
        min_length=8,
        max_length=128,
        description="8-128 characters; write-only.",
        json_schema_extra={"format": "password"},
    ),
]


# A MongoDB filter or update document, as a data-access module builds and sends it.
Query = Mapping[str, object]


class PasswordHashing(Protocol):
    """Turns a password into the hash that is stored (the auth domain's hasher does it)."""

    async def hash(self, password: str) -> str:
        """The hash to store for `password`."""
