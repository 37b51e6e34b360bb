"""The one write path of the `passkeys` collection: add, list, remove, and the sign
counter's guarded advance."""

from __future__ import annotations

from beanie import PydanticObjectId
from pymongo.errors import DuplicateKeyError

from service.core.clock import utc_now
from service.passkeys.ceremony import NewPasskey
from service.passkeys.errors import PasskeyAlreadyRegistered, PasskeyNotFound, TooManyPasskeys
from service.passkeys.models import Passkey

CLONE_SUSPECTED = "sign_count_not_increased"


async def list_passkeys(user_id: PydanticObjectId) -> list[Passkey]:
    """The user's passkeys, oldest first."""
    return await Passkey.find({"user_id": user_id}).sort("created_at").to_list()


async def credential_ids(user_id: PydanticObjectId) -> list[str]:
    """The credential ids the user registered (to exclude them from a new registration)."""
    return [passkey.credential_id for passkey in await list_passkeys(user_id)]


async def add_passkey(
    user_id: PydanticObjectId,
    verified: NewPasskey,
    name: str,
    transports: list[str],
    max_passkeys: int,
) -> Passkey:
    """Store a verified credential for the user, within `max_passkeys`.

    The limit is checked after the insert, so parallel registrations cannot overshoot it
    together: whoever finds the count over the limit takes their own passkey back out.
    """
    passkey = Passkey(
        user_id=user_id,
        credential_id=verified.credential_id,
        public_key=verified.public_key,
        sign_count=verified.sign_count,
        transports=transports,
        aaguid=verified.aaguid,
        backed_up=verified.backed_up,
        name=name,
    )
    try:
        await passkey.insert()
    except DuplicateKeyError:
        raise PasskeyAlreadyRegistered from None
    if await Passkey.find({"user_id": user_id}).count() > max_passkeys:
        await Passkey.get_pymongo_collection().delete_one({"_id": passkey.id})
        raise TooManyPasskeys(max_passkeys)
    return passkey


async def find_by_credential_id(credential_id: str) -> Passkey | None:
    """The passkey with this credential id, whoever owns it."""
    return await Passkey.find_one({"credential_id": credential_id})


async def remove_passkey(user_id: PydanticObjectId, passkey_id: PydanticObjectId) -> Passkey:
    """Delete one of the user's passkeys; `PasskeyNotFound` if it is not theirs."""
    found = await Passkey.get_pymongo_collection().find_one_and_delete(
        {"_id": passkey_id, "user_id": user_id}
    )
    if found is None:
        raise PasskeyNotFound
    removed: Passkey = Passkey.model_validate(found)
    return removed


async def advance_sign_count(passkey: Passkey, new_count: int) -> bool:
    """Record a use at `new_count`, only if the counter grows past every use recorded so
    far (or both are 0: an authenticator without a counter). False when it did not: a
    cloned authenticator, or a parallel assertion with the same counter that lost.

    The guard sits in the update itself, so of parallel assertions carrying one counter
    value at most one is recorded.
    """
    query: dict[str, object] = {"_id": passkey.id, "disabled_at": None}
    query["sign_count"] = {"$lt": new_count} if new_count > 0 else 0
    result = await Passkey.get_pymongo_collection().update_one(
        query, {"$set": {"sign_count": new_count, "last_used_at": utc_now()}}
    )
    return result.modified_count == 1


async def disable(passkey: Passkey, reason: str = CLONE_SUSPECTED) -> bool:
    """Mark the passkey disabled; True if this call did (it was enabled before)."""
    result = await Passkey.get_pymongo_collection().update_one(
        {"_id": passkey.id, "disabled_at": None},
        {"$set": {"disabled_at": utc_now(), "disabled_reason": reason}},
    )
    return result.modified_count == 1


async def forget_user(user_id: PydanticObjectId) -> None:
    """Delete every passkey of a deleted user."""
    await Passkey.get_pymongo_collection().delete_many({"user_id": user_id})


async def restore(passkey: Passkey) -> None:
    """Put back a passkey that `remove_passkey` took out (its removal could not be kept)."""
    await passkey.insert()
