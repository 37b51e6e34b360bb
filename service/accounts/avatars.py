"""A user's avatar: store the image, point the user at it, drop what it displaced.

The avatar's bytes belong to the avatars domain (storage), the pointer to the users domain
(`User.avatar`); this module is where the two meet.
"""

from __future__ import annotations

import hashlib

import structlog

from service.avatars.errors import AvatarNotFound
from service.avatars.images import ProcessedImage
from service.avatars.service import StoredAvatar
from service.avatars.storage import AvatarStorage
from service.users.errors import UserNotFound
from service.users.models import AvatarInfo, User
from service.users.service import UserService

log = structlog.get_logger(__name__)


async def set_avatar(
    users: UserService, user: User, image: ProcessedImage, storage: AvatarStorage
) -> User:
    """Store `image` as the user's only avatar and return the updated user."""
    owner = str(user.id)
    blob_id = await storage.put(owner, image.data, image.media_type)
    info = AvatarInfo(
        blob_id=blob_id,
        etag=hashlib.sha256(image.data).hexdigest()[:32],
        media_type=image.media_type,
        size=len(image.data),
        width=image.width,
        height=image.height,
    )
    try:
        updated, replaced = await users.replace_avatar(user, info)
    except UserNotFound:  # the user was deleted meanwhile: leave nothing behind
        await storage.delete(blob_id)
        raise
    # Delete only what this write displaced: a concurrent upload's blob is not ours to drop.
    if replaced is not None:
        await storage.delete(replaced.blob_id)
    log.info(
        "avatar.uploaded",
        user_id=owner,
        size=info.size,
        format=image.source_format,
        width=info.width,
        height=info.height,
    )
    return updated


async def remove_avatar(users: UserService, user: User, storage: AvatarStorage) -> User:
    """Drop the user's avatar (a no-op when there is none)."""
    if user.avatar is None:
        return user
    updated, replaced = await users.replace_avatar(user, None)
    if replaced is not None:  # None when a concurrent removal got there first
        await storage.delete(replaced.blob_id)
        log.info("avatar.deleted", user_id=str(user.id), size=replaced.size)
    return updated


async def load_avatar(user: User, storage: AvatarStorage) -> StoredAvatar:
    """The user's avatar bytes, or `AvatarNotFound`."""
    if user.avatar is None:
        raise AvatarNotFound
    data = await storage.get(user.avatar.blob_id)
    if data is None:
        raise AvatarNotFound
    return StoredAvatar(data=data, media_type=user.avatar.media_type, etag=user.avatar.etag)


async def forget_avatar(user_id: str, storage: AvatarStorage) -> None:
    """Delete every stored avatar blob of a deleted user."""
    await storage.delete_for_owner(user_id)
