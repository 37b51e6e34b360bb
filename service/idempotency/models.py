"""The stored outcome of one idempotency key, expiring through a TTL index."""

from __future__ import annotations

from datetime import datetime

from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field
from pymongo import ASCENDING, IndexModel

from service.core.clock import utc_now


class StoredResponse(BaseModel):
    """What the first request answered: replayed byte for byte to every retry."""

    status: int
    body: str
    headers: dict[str, str] = Field(default_factory=dict)


class IdempotencyRecord(Document):
    """One (operation, caller, key) triple: claimed while the first request runs, then its
    answer. `_id` is a digest of the triple, so the `_id` index is the unique key index:
    two requests with one key cannot both claim it.
    """

    id: str  # type: ignore[assignment]  # a digest, not an ObjectId
    # HMAC of the request's content: a retry must send the same thing to get the answer.
    fingerprint: str
    # The id the created resource gets, fixed at the first claim: a retry that takes over
    # after a failure creates the resource under the same id, so a write that did land
    # before the failure is found rather than made twice.
    resource_id: PydanticObjectId
    # While unanswered, the claim holds until then; a retry after it may take over.
    lease_expires_at: datetime | None = None
    response: StoredResponse | None = None
    created_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime

    class Settings:
        name = "idempotency_keys"
        use_state_management = False
        indexes = [  # noqa: RUF012 - Beanie reads this as a class attribute
            # MongoDB deletes expired records itself; FerretDB has no TTL indexes, so the
            # purge task does it there, and every read also checks `expires_at`.
            IndexModel([("expires_at", ASCENDING)], name="expires_at_ttl", expireAfterSeconds=0),
        ]
