"""The trail's counters: every event type exists at 0 from the start, and counts what is
stored (and what is withdrawn again)."""

from __future__ import annotations

import httpx

from service.audit.models import AuditEventType
from tests.factories import bearer, create_user, login
from tests.test_metrics import _sample


async def test_audit_counters_start_at_zero_for_every_type_and_count_events(
    app_with: object,
) -> None:
    async with app_with() as client:  # type: ignore[operator]
        assert isinstance(client, httpx.AsyncClient)
        before = (await client.get("/metrics")).text
        for event_type in AuditEventType:
            for name in ("audit_events_total", "audit_write_failures_total",
                         "audit_events_withdrawn_total"):  # fmt: skip
                assert f'{name}{{type="{event_type.value}"}}' in before, (name, event_type)
        user = await create_user(client)
        tokens = await login(client, user["username"])
        other = await create_user(client)
        taken = await client.patch(  # refused by the unique index, after its event was stored
            "/users/me", json={"email": other["email"]}, headers=bearer(tokens)
        )
        assert taken.status_code == 409
        after = (await client.get("/metrics")).text

    def grew(name: str, event_type: str) -> float:
        return _sample(after, name, type=event_type) - _sample(before, name, type=event_type)

    assert grew("audit_events_total", "login.succeeded") == 1
    assert grew("audit_events_total", "email.changed") == 1
    assert grew("audit_events_withdrawn_total", "email.changed") == 1
    assert grew("audit_write_failures_total", "login.succeeded") == 0
