"""Dependencies of the avatar routes."""

from __future__ import annotations

from typing import Annotated

from service.avatars.service import ImageDecoder
from service.avatars.storage import AvatarStorage
from service.http.multipart import multipart_body
from service.kernel.state import from_state

# The app's avatar store, and the image limits with this worker's decoding gate.
Storage = Annotated[AvatarStorage, from_state("avatars")]
Decoder = Annotated[ImageDecoder, from_state("image_decoder")]
MultipartBody = multipart_body("Upload the image as multipart/form-data with a `file` part.")
