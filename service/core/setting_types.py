"""Types of setting values shared by several settings: where the service runs, and the
bounds every admission gate takes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

# Every per-worker admission gate (hashing, decoding, inference) takes the same bounds:
# how many run at once, and how long a request waits for a free slot before a 503.
GateSlots = Annotated[int, Field(ge=1, le=64)]
GateWaitS = Annotated[float, Field(gt=0, le=60)]


class Environment(StrEnum):
    """Where the service runs; production-only safety checks key off this."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"
