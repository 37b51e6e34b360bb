"""Dependencies of the avatar routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.avatars.service import ImageDecoder
from service.avatars.storage import AvatarStorage
from service.kernel.multipart import multipart_body


async def avatar_storage(request: Request) -> AvatarStorage:
    """The app's avatar store."""
    storage: AvatarStorage = request.state.avatars
    return storage


async def image_decoder(request: Request) -> ImageDecoder:
    """The configured image limits with this worker's decoding gate."""
    decoder: ImageDecoder = request.state.image_decoder
    return decoder


Storage = Annotated[AvatarStorage, Depends(avatar_storage)]
Decoder = Annotated[ImageDecoder, Depends(image_decoder)]
MultipartBody = multipart_body("Upload the image as multipart/form-data with a `file` part.")
