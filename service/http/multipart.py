"""The multipart-only body check of upload routes, each with its own hint."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

from service.core.errors import UnsupportedMediaType
from service.http.media_types import media_type


def multipart_body(hint: str) -> Any:
    """A route dependency refusing anything but multipart/form-data with a 415 naming `hint`.

    Read from the request rather than declared as a header parameter: the request body
    names its media type, so the OpenAPI document shows no `Content-Type` parameter.
    """

    async def require_multipart(request: Request) -> None:
        if media_type(request.headers.get("content-type")) != "multipart/form-data":
            raise UnsupportedMediaType(hint)

    return Depends(require_multipart)
