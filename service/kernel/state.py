"""Typed access to the lifespan state: one dependency per member, declared where it is used.

    Hasher = Annotated[PasswordHasher, from_state("hasher")]

The member's type is the alias's annotation; `lifespan.State` declares every member, and a
test checks that each `from_state` name is one of them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from service.core.config import Settings


def from_state(member: str) -> Any:
    """`Depends` on the lifespan state's `member` (built once at start-up, shared by requests)."""

    async def state_member(request: Request) -> Any:
        return getattr(request.state, member)

    state_member.__name__ = state_member.__qualname__ = f"state_{member}"
    return Depends(state_member)


SettingsDep = Annotated[Settings, from_state("settings")]
