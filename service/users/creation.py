"""Creating a user: the unique indexes decide first, the costly password hash comes after.

A new user with a password is stored in two writes:

1. the claim: the user is inserted with no usable password and an `expires_at`. The
   unique indexes on username, its look-alike skeleton and email accept exactly one of
   any number of concurrent claims; every other one is refused here, before it waits
   for a hashing slot or spends a hash;
2. the hash is computed (a worker thread, under the hashing bound), then one conditional
   write on the claim stores it and removes `expires_at`: from that write on the user is
   a finished user.

All or nothing: if hashing or the second write fails or the request is cancelled, the
claim is deleted in a shielded task outside the request's database deadline, so it is
removed even then. While a claim stands, every read treats it as absent (`FINISHED`) and
its password matches nothing; a claim left by a worker that died is deleted once its
`expires_at` passes (TTL index, or the purge on FerretDB).

A user without a password (an admin's invitation) is stored finished in one write.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Iterable
from datetime import timedelta

import structlog
from beanie import PydanticObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError, PyMongoError

from service.core.clock import utc_now
from service.core.types import PasswordHashing, unusable_password_hash
from service.users import repository
from service.users.changes import search_fields
from service.users.conflicts import duplicate_field
from service.users.errors import DuplicateUserField, RegistrationInterrupted, UsernameTaken
from service.users.models import Role, User
from service.users.schemas import UserCreate
from service.users.usernames import username_candidates

log = structlog.get_logger(__name__)

# Far longer than any registration runs (the hashing wait is at most 60 s, each database
# step at most the database deadline), so only the claim of a dead worker ever expires.
CLAIM_TTL = timedelta(minutes=10)


async def _shielded(work: Awaitable[None]) -> None:
    """Run `work` to its end even if the caller is cancelled, in an empty context (outside
    the request's database deadline, which may be what cancelled it)."""

    async def run() -> None:
        await work

    task = asyncio.create_task(run(), context=contextvars.Context())
    await asyncio.shield(task)


async def _drop_claim(user_id: PydanticObjectId | None, claimed_until: object) -> None:
    """Delete the claim (only the claim: a finished user is never matched)."""
    try:
        await User.get_pymongo_collection().delete_one(
            {"_id": user_id, "expires_at": claimed_until}
        )
    except PyMongoError as exc:  # it expires on its own; the caller's error is the one to see
        log.warning("user.claim_not_removed", user_id=str(user_id), error_type=type(exc).__name__)


def _new_user(data: UserCreate, username: str, user_id: PydanticObjectId | None) -> User:
    # Every field the client sent, by name, so a new field needs no line here; then what
    # the server derives or defaults.
    sent = {**data.model_dump(exclude={"password", "role", "is_active"}), "username": username}
    return User(
        **sent,
        **search_fields(sent),
        id=user_id,
        password_hash=unusable_password_hash(),
        role=data.role or Role.USER,
        is_active=True if data.is_active is None else data.is_active,
        expires_at=None if data.password is None else utc_now() + CLAIM_TTL,
    )


async def _insert(data: UserCreate, user_id: PydanticObjectId | None) -> User:
    """Insert the user (a claim if it has a password to hash), under the first free
    username: the one sent, or the first free one of those derived from email and name."""
    names: Iterable[str] = (
        [data.username] if data.username else username_candidates(data.email, data.name)
    )
    conflict: DuplicateUserField = UsernameTaken()
    for username in names:
        user = _new_user(data, username, user_id)
        try:
            await user.insert()
            return user
        except DuplicateKeyError as exc:
            conflict = await duplicate_field(exc, username, None)
            if data.username or not isinstance(conflict, UsernameTaken):
                raise conflict from None
    raise conflict


async def _finish(user: User, password: str, hasher: PasswordHashing) -> User:
    """Hash the password and turn the claim into the user; the claim goes on any failure."""
    claimed_until = user.expires_at
    try:
        password_hash = await hasher.hash(password)
        stored = await User.get_pymongo_collection().find_one_and_update(
            {"_id": user.id, "expires_at": claimed_until},
            {"$set": {"password_hash": password_hash}, "$unset": {"expires_at": ""}},
            return_document=ReturnDocument.AFTER,
        )
    except BaseException:
        await _shielded(_drop_claim(user.id, claimed_until))
        raise
    if stored is None:  # the claim is gone: expired and purged, or taken over by a retry
        raise RegistrationInterrupted
    finished: User = User.model_validate(stored)
    return finished


async def _drop_claim_under(user_id: PydanticObjectId) -> bool:
    """Delete an unfinished claim stored under `user_id` (left by an earlier attempt of
    the same idempotent request); tell whether there was one."""
    result = await User.get_pymongo_collection().delete_one(
        {"_id": user_id, "expires_at": {"$ne": None}}
    )
    return bool(result.deleted_count)


async def create(
    data: UserCreate, hasher: PasswordHashing, user_id: PydanticObjectId | None
) -> User:
    """Store a new user: claim, then hash, then finish (see the module docstring).

    With `user_id` (fixed by an idempotent request), a user already stored under that id
    is the same request landing twice: it is returned instead of refused.
    """
    try:
        user = await _insert(data, user_id)
    except DuplicateUserField:
        if user_id is None:
            raise
        if (earlier := await repository.find_user(user_id)) is not None:
            return earlier
        if not await _drop_claim_under(user_id):
            raise
        user = await _insert(data, user_id)
    if data.password is not None:
        user = await _finish(user, data.password, hasher)
    log.info("user.created", user_id=str(user.id), invited=data.password is None)
    return user
