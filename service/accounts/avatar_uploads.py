"""The two steps of taking an avatar upload, with its metrics, for every route that does."""

from __future__ import annotations

from service.accounts import avatars as service
from service.avatars.errors import InvalidImage, UnsupportedImage
from service.avatars.images import ProcessedImage
from service.avatars.service import ImageDecoder
from service.avatars.storage import AvatarStorage
from service.observability.counters import BusinessMetrics
from service.users.models import User
from service.users.service import UserService


async def check_upload(
    data: bytes, decoder: ImageDecoder, metrics: BusinessMetrics
) -> ProcessedImage:
    """Check and re-encode an uploaded image; count a refusal by its reason."""
    try:
        return await decoder.process(data)
    except (UnsupportedImage, InvalidImage) as exc:
        metrics.avatar_rejections.labels(reason=exc.reason).inc()
        raise


async def store_upload(
    users: UserService,
    user: User,
    image: ProcessedImage,
    upload_size: int,
    storage: AvatarStorage,
    metrics: BusinessMetrics,
) -> User:
    """Make a checked image `user`'s avatar; count it and its sizes before and after."""
    updated = await service.set_avatar(users, user, image, storage)
    metrics.avatar_uploads.labels(format=image.source_format.lower()).inc()
    metrics.avatar_upload_bytes.observe(upload_size)
    metrics.avatar_stored_bytes.observe(len(image.data))
    return updated
