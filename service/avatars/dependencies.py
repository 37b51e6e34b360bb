"""Dependencies of the avatar routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from service.avatars.images import ImageLimits
from service.avatars.storage import AvatarStorage
from service.errors import UnsupportedMediaType
from service.media_types import media_type


async def avatar_storage(request: Request) -> AvatarStorage:
    """The app's avatar store."""
    storage: AvatarStorage = request.state.avatars
    return storage


async def image_limits(request: Request) -> ImageLimits:
    """The configured image limits."""
    limits: ImageLimits = request.state.image_limits
    return limits


async def require_multipart(content_type: Annotated[str | None, Header()] = None) -> None:
    """Refuse anything but multipart/form-data with a 415."""
    if media_type(content_type) != "multipart/form-data":
        raise UnsupportedMediaType("Upload the image as multipart/form-data with a `file` part.")


Storage = Annotated[AvatarStorage, Depends(avatar_storage)]
Limits = Annotated[ImageLimits, Depends(image_limits)]
MultipartBody = Depends(require_multipart)
