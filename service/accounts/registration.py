"""Registering an account: the user, an optional avatar and the verification mail, as one
use case; and resuming a registration an earlier attempt with the same key began."""

from __future__ import annotations

from dataclasses import dataclass

from beanie import PydanticObjectId

from service.accounts import invitations, lifecycle
from service.accounts.avatar_uploads import check_upload, store_upload
from service.accounts.lifecycle import MailPolicy
from service.audit.trail import Audit
from service.auth.security import PasswordHasher
from service.avatars.service import ImageDecoder
from service.avatars.storage import AvatarStorage
from service.core.errors import Forbidden
from service.mail.outbox import Outbox
from service.observability.counters import BusinessMetrics
from service.passwords.policy import PasswordPolicy
from service.users import repository
from service.users.errors import RegistrationIncomplete
from service.users.models import User
from service.users.permissions import check_admin_fields, is_admin, require_admin
from service.users.schemas import UserCreate
from service.users.service import UserService


@dataclass(frozen=True)
class CheckedHashing:
    """Hashing that first holds the password to the policy. It runs once the name is
    claimed, so the unique indexes decide before any CPU is spent on a loser, and a
    refused password removes the claim as a failed hash does (`users.creation`). An
    invited user has no password yet and chooses one later, under the same rules."""

    hasher: PasswordHasher
    passwords: PasswordPolicy
    data: UserCreate

    async def hash(self, password: str) -> str:
        """The stored hash of `password`, if the policy accepts it (else 422)."""
        data = self.data
        await self.passwords.check(
            password, username=data.username, email=data.email, field="password"
        )
        return await self.hasher.hash(password)


def check_may_register(data: UserCreate, caller: User | None, registration_open: bool) -> None:
    """Refuse a registration while registration is closed (but to admins), admin-only
    fields from anyone but an admin, and a body without username or password from anyone
    but an admin: 422 naming the missing fields for an anonymous caller (a registration
    form left incomplete), 403 for a signed-in one (leaving them out is an admin's
    invitation)."""
    if not registration_open and not is_admin(caller):
        raise Forbidden("Registration is closed.")
    check_admin_fields(caller, data.admin_fields_sent())
    missing = data.missing_credentials()
    if missing and caller is None:
        raise RegistrationIncomplete(missing)
    if missing:
        require_admin(
            caller,
            f"Only an admin may create a user without {' or '.join(missing)}; send "
            f"{' and '.join(missing)} to register.",
        )


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
    audit: Audit,
    caller: User | None = None,
) -> User:
    """Create the user (under `user_id` when an idempotency key fixed one), store its avatar
    when one is sent, and mail the verification link (without a password: the invitation
    to choose one); the registered user.

    A resumed key whose user exists was created by the attempt that failed: that user is
    the answer, without hashing the password again.
    """
    user = await repository.find_user(user_id) if resumed and user_id else None
    if user is not None:
        return user
    if not resumed:
        # Cheap checks first: a taken name costs one indexed read, not a decode and a
        # hash. Skipped on a resume, whose own earlier insert may hold the name:
        # create_user tells that apart by the id.
        await repository.check_available(data.username, data.email)
    # Validate the image before creating anyone, so a bad image leaves nothing behind.
    image = await check_upload(avatar, decoder, metrics) if avatar is not None else None
    user = await users.create_user(data, CheckedHashing(hasher, passwords, data), user_id=user_id)
    metrics.users_created.inc()
    # Sent in the background: the 201 does not wait for the mail server.
    if data.password is None:
        await invitations.send_invitation(user, caller, client, mail, mail_policy, audit)
    else:
        await lifecycle.send_verification(user, client, mail, mail_policy)
    if avatar is not None and image is not None:
        user = await store_upload(users, user, image, len(avatar), storage, metrics)
    return user
