"""Creating or promoting an administrator, for the `create-admin` command."""

from __future__ import annotations

import structlog

from service.accounts import profile_changes
from service.audit.trail import Audit
from service.core.types import PasswordHashing
from service.passwords.policy import PasswordPolicy
from service.users import repository
from service.users.cache import UserCache
from service.users.models import Role, User
from service.users.schemas import UserCreate, UserUpdate
from service.users.service import UserService

log = structlog.get_logger(__name__)


async def create_or_promote_admin(
    data: UserCreate,
    hasher: PasswordHashing,
    users: UserService | None = None,
    audit: Audit | None = None,
    passwords: PasswordPolicy | None = None,
) -> tuple[User, bool]:
    """Make `data.username` an active admin; create it when missing. Returns (user, created).

    An existing user keeps their password and email: promotion changes only role and status.
    `users` defaults to a service of this process's own (the command runs apart from the
    service, whose caller caches expire within their TTL). A promotion is audited
    (`role.changed`, `active.changed`) with no actor: the command line did it.
    """
    users = users or UserService(UserCache())
    existing = await repository.find_by_username(data.username) if data.username else None
    if existing is not None:
        promotion = UserUpdate(role=Role.ADMIN, is_active=True)
        promoted = await profile_changes.update_user(
            None, existing, promotion, users, audit or Audit(), expected_version=None
        )
        log.info("user.promoted_to_admin", user_id=str(promoted.id))
        return promoted, False
    if passwords is not None and data.password is not None:  # held to the same policy
        await passwords.check(
            data.password, username=data.username, email=data.email, field="password"
        )
    user = await users.create_user(data.model_copy(update={"role": Role.ADMIN}), hasher)
    return user, True
