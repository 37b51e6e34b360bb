"""Copy avatars from GridFS to S3 and re-point their users: `python -m service migrate-avatars`.

Idempotent and safe to run while the service serves: a user is re-pointed only if it still
points at the GridFS blob that was copied (one conditional update), so an avatar replaced
meanwhile wins and the copy is dropped; users already on S3 are skipped; the GridFS blob
is deleted only after its user points at the copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from service.avatars.storage import AvatarStorage
from service.users import repository
from service.users.service import UserService

log = structlog.get_logger(__name__)


@dataclass
class MigrationReport:
    """What one run did."""

    copied: int = 0
    already_there: int = 0
    missing: int = 0
    raced: int = 0


def _is_gridfs_id(blob_id: str) -> bool:
    # GridFS ids are ObjectIds (24 hex); S3 keys are "<owner>/<random hex>".
    return len(blob_id) == 24 and "/" not in blob_id


async def migrate_avatars(
    source: AvatarStorage, target: AvatarStorage, users: UserService
) -> MigrationReport:
    """Move every GridFS avatar to `target`; see the module docstring for the guarantees."""
    report = MigrationReport()
    async for user in repository.users_with_avatars():
        assert user.avatar is not None  # noqa: S101 - the query selects users with one
        old_blob = user.avatar.blob_id
        if not _is_gridfs_id(old_blob):
            report.already_there += 1
            continue
        data = await source.get(old_blob)
        if data is None:
            report.missing += 1
            log.warning("avatar.migration_missing", user_id=str(user.id))
            continue
        new_blob = await target.put(str(user.id), data, user.avatar.media_type)
        if await users.repoint_avatar(user, old_blob, new_blob):
            await source.delete(old_blob)
            report.copied += 1
        else:  # replaced or removed meanwhile: the copy is not referenced
            await target.delete(new_blob)
            report.raced += 1
    log.info("avatar.migration_finished", **report.__dict__)
    return report
