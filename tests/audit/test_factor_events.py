"""Passkey and second-factor events go through the request's trail like every other: kept
for AUDIT_RETENTION_DAYS, counted in `audit_events_total`, with the caller's client."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bson import ObjectId

from service.audit.models import AuditEvent, AuditEventType
from service.core.config import Settings
from tests.factories import user_session
from tests.passkeys.authenticator import SoftAuthenticator
from tests.passkeys.ceremonies import passkey_login, register
from tests.second_factor.helpers import enable_totp
from tests.test_metrics import _sample

RETENTION_DAYS = 5
USER_AGENT = "FactorEventsTest/1.0"
COUNTED = (
    AuditEventType.PASSKEY_ADDED,
    AuditEventType.PASSKEY_USED,
    AuditEventType.SECOND_FACTOR_ADDED,
)


async def test_passkey_and_second_factor_events_are_counted_and_kept_as_configured(
    app_with: Any, settings: Settings
) -> None:
    async with app_with(audit_retention_days=RETENTION_DAYS) as client:
        client.headers["User-Agent"] = USER_AGENT
        user, headers = await user_session(client)
        before = (await client.get("/metrics")).text
        # A passkey registered and used, then a TOTP factor: one event of each type.
        authenticator = SoftAuthenticator(origin=settings.passkey_origins[0])
        await register(client, headers, authenticator)
        assert (await passkey_login(client, authenticator)).status_code == 200
        await enable_totp(client, headers)
        after = (await client.get("/metrics")).text
        events = await AuditEvent.find(
            AuditEvent.user_id == ObjectId(user["id"]),
            {"type": {"$in": [t.value for t in COUNTED]}},
        ).to_list()

    def grew(event_type: AuditEventType) -> float:
        name = "audit_events_total"
        return _sample(after, name, type=event_type.value) - _sample(
            before, name, type=event_type.value
        )

    assert grew(AuditEventType.PASSKEY_ADDED) == 1
    assert grew(AuditEventType.PASSKEY_USED) == 1
    assert grew(AuditEventType.SECOND_FACTOR_ADDED) == 1
    assert sorted(e.type.value for e in events) == [
        "passkey.added",
        "passkey.used",
        "second_factor.added",
    ]
    for event in events:
        assert event.expires_at - event.at == timedelta(days=RETENTION_DAYS), event.type
        assert event.user_agent == USER_AGENT, event.type
