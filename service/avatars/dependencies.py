"""Dependencies of the avatar routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.avatars.service import ImageDecoder
from service.avatars.storage import AvatarStorage
from service.errors import UnsupportedMediaType
from service.media_types import media_type


async def avatar_storage(request: Request) -> AvatarStorage:
    """The app's avatar store."""
    storage: AvatarStorage = request.state.avatars
    return storage


async def image_decoder(request: Request) -> ImageDecoder:
    """The configured image limits with this worker's decoding gate."""
    decoder: ImageDecoder = request.state.image_decoder
    return decoder


async def require_multipart(request: Request) -> None:
    """Refuse anything but multipart/form-data with a 415 (read from the request, so it is
    not documented as a header parameter: the request body names its media type)."""
    if media_type(request.headers.get("content-type")) != "multipart/form-data":
        raise UnsupportedMediaType("Upload the image as multipart/form-data with a `file` part.")


Storage = Annotated[AvatarStorage, Depends(avatar_storage)]
Decoder = Annotated[ImageDecoder, Depends(image_decoder)]
MultipartBody = Depends(require_multipart)
