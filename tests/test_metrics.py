"""`/metrics`: HTTP metrics by route template and the business counters."""

from __future__ import annotations

import re

import httpx

from tests.factories import create_user


def _sample(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def test_metrics_use_route_templates_and_count_business_events(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    before = (await client.get("/metrics")).text
    user = await create_user(client)
    await client.get(f"/users/{user['id']}")
    await client.get(f"/users/{user['id']}")
    await client.patch(f"/users/{user['id']}", json={"name": "x"})
    await client.delete(f"/users/{user['id']}")
    await client.get("/not/a/route")
    await client.get("/health")

    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text

    gets = "http_requests_total", {"handler": "/users/{user_id}", "method": "GET", "status": "200"}
    assert _sample(text, gets[0], **gets[1]) - _sample(before, gets[0], **gets[1]) == 2
    assert user["id"] not in text  # raw paths never become labels
    assert "/not/a/route" not in text  # untemplated paths are ignored
    assert not re.search(r'handler="/(metrics|health)', text)  # probes and scrapes excluded
    for counter in ("users_created_total", "users_updated_total", "users_deleted_total"):
        assert _sample(text, counter) - _sample(before, counter) == 1, counter
    assert "http_request_duration_seconds_bucket" in text
