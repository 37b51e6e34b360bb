"""Registering an account: the user, an optional avatar and the verification mail, as one
use case; and resuming a registration an earlier attempt with the same key began."""

from __future__ import annotations

from beanie import PydanticObjectId

from service.accounts import lifecycle
from service.accounts.avatar_uploads import check_upload, store_upload
from service.accounts.lifecycle import MailPolicy
from service.auth.security import PasswordHasher
from service.avatars.service import ImageDecoder
from service.avatars.storage import AvatarStorage
from service.core.errors import Forbidden
from service.mail.outbox import Outbox
from service.observability.counters import BusinessMetrics
from service.passwords.policy import PasswordPolicy
from service.users import lookup
from service.users.models import User
from service.users.permissions import check_admin_fields, is_admin
from service.users.schemas import UserCreate
from service.users.service import UserService


def check_may_register(data: UserCreate, caller: User | None, registration_open: bool) -> None:
    """Refuse a registration while registration is closed (but to admins), and admin-only
    fields from anyone but an admin."""
    if not registration_open and not is_admin(caller):
        raise Forbidden("Registration is closed.")
    check_admin_fields(caller, data.admin_fields_sent())


async def register(
    data: UserCreate,
    avatar: bytes | None,
    *,
    user_id: PydanticObjectId | None,
    resumed: bool,
    users: UserService,
    hasher: PasswordHasher,
    passwords: PasswordPolicy,
    decoder: ImageDecoder,
    storage: AvatarStorage,
    metrics: BusinessMetrics,
    mail: Outbox,
    mail_policy: MailPolicy,
    client: str,
) -> User:
    """Create the user (under `user_id` when an idempotency key fixed one), store its avatar
    when one is sent, and mail the verification link; the registered user.

    A resumed key whose user exists was created by the attempt that failed: that user is
    the answer, without hashing the password again.
    """
    user = await lookup.find_user(user_id) if resumed and user_id else None
    if user is not None:
        return user
    if not resumed:
        # Cheap checks first: a taken name costs one indexed read, not a decode and a
        # hash. Skipped on a resume, whose own earlier insert may hold the name:
        # create_user tells that apart by the id.
        await lookup.check_available(data.username, data.email)
    await passwords.check(data.password, username=data.username, email=data.email, field="password")
    # Validate the image before creating anyone, so a bad image leaves nothing behind.
    image = await check_upload(avatar, decoder, metrics) if avatar is not None else None
    user = await users.create_user(data, hasher, user_id=user_id)
    metrics.users_created.inc()
    # Sent in the background: the 201 does not wait for the mail server.
    await lifecycle.send_verification(user, client, mail, mail_policy)
    if avatar is not None and image is not None:
        user = await store_upload(users, user, image, len(avatar), storage, metrics)
    return user
