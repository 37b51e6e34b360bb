"""Events are kept for AUDIT_RETENTION_DAYS: the TTL index (on FerretDB, the purge task)
removes an event once it is older, and not before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from bson import ObjectId
from pydantic import ValidationError

from service.audit.models import AuditEvent
from service.core.audit_settings import AuditSettings
from service.startup import purge
from tests.factories import bearer, create_user, login

RETENTION = timedelta(days=3)


async def test_the_purge_removes_an_event_once_its_retention_is_over(
    app_with: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app_with(audit_retention_days=3) as client:
        user = await create_user(client)
        tokens = await login(client, user["username"])
        (event,) = await AuditEvent.find(AuditEvent.user_id == ObjectId(user["id"])).to_list()
        assert event.expires_at - event.at == RETENTION

        # Three days cannot pass in a test: the purge's clock (only) is moved instead.
        monkeypatch.setattr(purge, "utc_now", lambda: event.at + RETENTION - timedelta(minutes=1))
        assert await purge.purge_collection(AuditEvent, 100) == 0
        listed = await client.get("/users/me/events", headers=bearer(tokens))
        assert [item["id"] for item in listed.json()] == [str(event.id)]

        monkeypatch.setattr(purge, "utc_now", lambda: event.at + RETENTION + timedelta(minutes=1))
        # The login, and the service's record of its signing key (written at start-up).
        assert await purge.purge_collection(AuditEvent, 100) == 2
        listed = await client.get("/users/me/events", headers=bearer(tokens))
        assert listed.json() == []


def test_a_retention_below_one_day_stops_start_up_naming_the_variable() -> None:
    with pytest.raises(ValidationError, match="audit_retention_days"):
        AuditSettings(audit_retention_days=0)
