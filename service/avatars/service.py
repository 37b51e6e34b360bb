"""Avatar images: check and re-encode them within the decoding gate, and what is served. No HTTP
here; pointing a user at an avatar is `service.accounts.avatars`."""

from __future__ import annotations

from dataclasses import dataclass

from service.avatars.images import ImageLimits, ProcessedImage, process_avatar
from service.core.admission import AdmissionGate


@dataclass(frozen=True)
class StoredAvatar:
    """Bytes to serve and the validators that go with them."""

    data: bytes
    media_type: str
    etag: str


@dataclass(frozen=True)
class ImageDecoder:
    """The image limits and this worker's decoding gate: every decode goes through here."""

    limits: ImageLimits
    gate: AdmissionGate

    async def process(self, upload: bytes) -> ProcessedImage:
        """Check and re-encode an upload in a worker thread, once a decoding slot is free."""
        return await self.gate.run_sync(process_avatar, upload, self.limits)
