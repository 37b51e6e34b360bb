"""Deleting an account: the user, then every session, one-time token, passkey, second
factor and avatar of theirs."""

from __future__ import annotations

from service.accounts import avatars as account_avatars
from service.auth import one_time
from service.auth import service as sessions
from service.avatars.storage import AvatarStorage
from service.observability.counters import BusinessMetrics
from service.passkeys import store as passkeys
from service.second_factor import factors as second_factors
from service.users.models import User
from service.users.service import UserService


async def delete_account(
    users: UserService,
    user: User,
    storage: AvatarStorage,
    metrics: BusinessMetrics,
    *,
    expected_version: int | None,
) -> None:
    """Delete `user` (at `expected_version` when given) and everything that is theirs.

    The version is checked by the delete itself, so a write that lands in between wins
    and the delete answers 412 instead of removing what it did not see.
    """
    await users.delete_user(user, expected_version=expected_version)
    assert user.id is not None  # noqa: S101 - stored users always have an id
    await sessions.forget_user(user.id)
    await one_time.forget_user(user.id)
    await passkeys.forget_user(user.id)
    await second_factors.forget_user(user.id)
    await account_avatars.forget_avatar(str(user.id), storage)
    metrics.users_deleted.inc()
