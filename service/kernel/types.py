"""Field types shared by more than one domain."""

from __future__ import annotations

from typing import Annotated

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
