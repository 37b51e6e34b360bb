"""Creating or promoting an administrator, for the `create-admin` command."""

from __future__ import annotations

import structlog

from service.auth.security import PasswordHasher
from service.users.cache import CALLERS
from service.users.models import Role, User, utc_now
from service.users.schemas import UserCreate
from service.users.service import create_user, find_user

log = structlog.get_logger(__name__)


async def create_or_promote_admin(data: UserCreate, hasher: PasswordHasher) -> tuple[User, bool]:
    """Make `data.username` an active admin; create it when missing. Returns (user, created).

    An existing user keeps their password and email: promotion changes only role and status.
    """
    existing = await User.find_one({"username": data.username})
    if existing is not None:
        await User.get_pymongo_collection().update_one(
            {"_id": existing.id},
            {
                "$set": {"role": Role.ADMIN.value, "is_active": True, "updated_at": utc_now()},
                "$inc": {"version": 1},
            },
        )
        assert existing.id is not None  # noqa: S101 - stored users always have an id
        CALLERS.forget(existing.id)
        promoted = await find_user(existing.id)
        assert promoted is not None  # noqa: S101 - it was there a moment ago
        log.info("user.promoted_to_admin", user_id=str(promoted.id))
        return promoted, False
    user = await create_user(data.model_copy(update={"role": Role.ADMIN}), hasher)
    return user, True
