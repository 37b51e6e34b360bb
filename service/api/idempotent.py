"""The HTTP side of idempotent requests: the header, the content fingerprint, replays."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import orjson
from beanie import PydanticObjectId
from fastapi import Depends, Header
from starlette.responses import Response

from service.api.deps import SettingsDep
from service.core.config import Settings
from service.idempotency import service
from service.idempotency.models import StoredResponse

KEY_PATTERN = r'^(?:[A-Za-z0-9._:-]{16,128}|"[A-Za-z0-9._:-]{16,128}")$'
KEY_DESCRIPTION = (
    "Makes a retry of this request safe: send a fresh random key (a UUID) with each new "
    "request and the same key when retrying it. 16-128 characters of A-Z a-z 0-9 . _ : - "
    "(optionally in double quotes). The first request's answer (status, body, `Location`, "
    "`ETag`) is kept for `IDEMPOTENCY_TTL_S` (24 h) and replayed to a retry with the same "
    "key and the same content, with `Idempotent-Replayed: true` and without doing the work "
    "again. The same key with different content is 422; a retry while the first request is "
    "still running is 409 with `Retry-After`. Keys are scoped to the caller (the token's "
    "user, or anonymous)."
)
REPLAYED_HEADER = "Idempotent-Replayed"
_KEPT_HEADERS = ("location", "etag")
# A first request holds its key for its database deadline plus this margin (scheduling
# delays, clock differences between replicas); after that it can no longer write.
_LEASE_MARGIN = timedelta(seconds=1)

# The action performs the request under the resource id fixed by the claim (None without
# a key); `resumed` says an earlier attempt with this key may already have written it.
Action = Callable[[PydanticObjectId | None, bool], Awaitable[Response]]


def fingerprint_key(settings: Settings) -> bytes:
    """The key of the content fingerprints, derived from the service's signing secret.

    A plain SHA-256 of a body that holds a password would be a fast, unsalted hash of
    that password stored next to its Argon2 hash; keyed, it is useless without the secret.
    """
    secret = settings.jwt_secret.get_secret_value().encode()
    return hmac.new(secret, b"users-service idempotency fingerprint", hashlib.sha256).digest()


def fingerprint(key: bytes, content: Any, attachment: bytes | None = None) -> str:
    """HMAC-SHA256 of the request's parsed content and its file, if any."""
    mac = hmac.new(key, orjson.dumps(content, option=orjson.OPT_SORT_KEYS), hashlib.sha256)
    if attachment is not None:
        mac.update(b"\x00attachment\x00")
        mac.update(hashlib.sha256(attachment).digest())
    return mac.hexdigest()


def _replay(stored: StoredResponse) -> Response:
    headers = {**stored.headers, REPLAYED_HEADER: "true"}
    return Response(
        stored.body, status_code=stored.status, headers=headers, media_type="application/json"
    )


def _to_store(response: Response) -> StoredResponse:
    kept = {name: response.headers[name] for name in _KEPT_HEADERS if name in response.headers}
    return StoredResponse(
        status=response.status_code, body=bytes(response.body).decode(), headers=kept
    )


@dataclass(frozen=True)
class IdempotentRequest:
    """A request that may carry an `Idempotency-Key`, and what its handling needs."""

    key: str | None
    policy: service.IdempotencyPolicy
    fingerprint_key: bytes

    async def respond(
        self,
        *,
        operation: str,
        caller: str,
        content: Any,
        attachment: bytes | None,
        action: Action,
    ) -> Response:
        """Run `action` once per key: the first time for real, later from the stored answer."""
        if self.key is None:
            return await action(None, False)
        record = service.record_id(operation, caller, self.key)
        outcome = await service.claim(
            record, fingerprint(self.fingerprint_key, content, attachment), self.policy
        )
        if isinstance(outcome, StoredResponse):
            return _replay(outcome)
        try:
            response = await action(outcome.resource_id, outcome.resumed)
        except Exception:
            await service.release(outcome)
            raise
        # If this fails, the answer is a 503 and the retry resumes under the same id.
        await service.complete(outcome, _to_store(response))
        return response


async def idempotent_request(
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", pattern=KEY_PATTERN, description=KEY_DESCRIPTION),
    ] = None,
) -> IdempotentRequest:
    """The request's `Idempotency-Key` (validated) with the policy from settings."""
    return IdempotentRequest(
        key=idempotency_key.strip('"') if idempotency_key else None,
        policy=service.IdempotencyPolicy(
            ttl=timedelta(seconds=settings.idempotency_ttl_s),
            lease=timedelta(milliseconds=settings.mongodb_timeout_ms) + _LEASE_MARGIN,
        ),
        fingerprint_key=fingerprint_key(settings),
    )


Idempotent = Annotated[IdempotentRequest, Depends(idempotent_request)]
