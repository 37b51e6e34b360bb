"""One handler behind two routes: the same endpoint with one parameter resolved otherwise.

`/users/me` is `/users/{user_id}` with the target user taken from the token instead of the
path. Rather than a second handler that repeats the first, the alias is the first handler
with one dependency swapped, so the two routes cannot drift apart.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable
from typing import Any


def with_parameter(
    endpoint: Callable[..., Awaitable[Any]], name: str, annotation: object, *, suffix: str
) -> Callable[..., Awaitable[Any]]:
    """`endpoint`, its parameter `name` now annotated (resolved) by `annotation`.

    The framework reads the alias's `__signature__`; every other parameter keeps its own
    resolved annotation, default and kind.
    """
    hints = typing.get_type_hints(endpoint, include_extras=True)
    signature = inspect.signature(endpoint)
    if name not in signature.parameters:
        raise ValueError(f"{endpoint.__name__} has no parameter {name!r}")
    parameters = [
        parameter.replace(
            annotation=annotation if parameter.name == name else hints[parameter.name]
        )
        for parameter in signature.parameters.values()
    ]

    async def alias(**kwargs: Any) -> Any:
        return await endpoint(**kwargs)

    alias.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=parameters, return_annotation=hints.get("return", signature.return_annotation)
    )
    alias.__name__ = alias.__qualname__ = f"{endpoint.__name__}_{suffix}"
    alias.__doc__ = endpoint.__doc__
    return alias
