"""Creating or promoting an administrator, for the `create-admin` command."""

from __future__ import annotations

import structlog

from service.auth.security import PasswordHasher
from service.users.models import Role, User
from service.users.schemas import UserCreate
from service.users.service import create_user, update_user

log = structlog.get_logger(__name__)


async def create_or_promote_admin(data: UserCreate, hasher: PasswordHasher) -> tuple[User, bool]:
    """Make `data.username` an active admin; create it when missing. Returns (user, created).

    An existing user keeps their password and email: promotion changes only role and status.
    """
    existing = await User.find_one({"username": data.username})
    if existing is not None:
        promoted = await update_user(
            existing, {"role": Role.ADMIN.value, "is_active": True}, expected_version=None
        )
        log.info("user.promoted_to_admin", user_id=str(promoted.id))
        return promoted, False
    user = await create_user(data.model_copy(update={"role": Role.ADMIN}), hasher)
    return user, True
