"""Logs: one JSON access event per request, domain events, request ids, and no secrets."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx

from tests.factories import user_payload

SECRET_PASSWORD = "Pa55-word-that-must-never-be-logged"


def _lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


async def test_create_update_delete_journey_is_logged_without_the_password(
    admin_client: httpx.AsyncClient, log_output: io.StringIO
) -> None:
    client = admin_client
    created = await client.post(
        "/users", json=user_payload(password=SECRET_PASSWORD), headers={"x-request-id": "journey-1"}
    )
    user_id = created.json()["id"]
    await client.patch(f"/users/{user_id}", json={"name": "Renamed"})
    await client.delete(f"/users/{user_id}")

    raw = log_output.getvalue()
    assert SECRET_PASSWORD not in raw
    assert "$argon2" not in raw
    lines = _lines(log_output)
    events = [line["event"] for line in lines]
    assert events.count("http.request") == 3
    for name in ("user.created", "user.updated", "user.deleted"):
        (event,) = [line for line in lines if line["event"] == name]
        assert event["user_id"] == user_id
        assert event["request_id"]
        assert event["level"] == "info"
    access = [line for line in lines if line["event"] == "http.request"]
    assert [(a["method"], a["route"], a["status"]) for a in access] == [
        ("POST", "/users", 201),
        ("PATCH", "/users/{user_id}", 200),
        ("DELETE", "/users/{user_id}", 204),
    ]
    first = access[0]
    assert first["request_id"] == "journey-1"
    assert first["path"] == "/users"
    assert isinstance(first["duration_ms"], float)
    assert first["client"]
    assert first["timestamp"].endswith("Z")
    created_event = next(line for line in lines if line["event"] == "user.created")
    assert created_event["request_id"] == "journey-1"


async def test_request_id_is_echoed_or_generated_and_unsafe_ones_replaced(
    client: httpx.AsyncClient,
) -> None:
    echoed = await client.get("/health/live", headers={"x-request-id": "abc-123.DEF_4:5"})
    assert echoed.headers["x-request-id"] == "abc-123.DEF_4:5"
    generated = await client.get("/health/live")
    assert len(generated.headers["x-request-id"]) == 32
    for unsafe in (b"a" * 129, "evil\u00e9value".encode(), b"has space", b"semi;colon"):
        response = await client.get("/health/live", headers={b"x-request-id": unsafe})
        assert response.headers["x-request-id"].encode() != unsafe
        assert len(response.headers["x-request-id"]) == 32


async def test_validation_errors_do_not_log_submitted_values(
    client: httpx.AsyncClient, log_output: io.StringIO
) -> None:
    await client.post("/users", json=user_payload(password="shrt", email="bad"))
    assert "shrt" not in log_output.getvalue()
    (access,) = [line for line in _lines(log_output) if line["event"] == "http.request"]
    assert access["status"] == 422


def test_console_format_renders_plain_text(log_output: io.StringIO) -> None:
    import structlog

    from service.observability.logging import configure_logging

    buffer = io.StringIO()
    configure_logging("INFO", "console", stream=buffer)
    structlog.get_logger("test").info("console.check", password="hidden-value")
    text = buffer.getvalue()
    assert "console.check" in text
    assert "hidden-value" not in text
    assert not text.lstrip().startswith("{")


def test_standard_library_records_share_the_json_format(log_output: io.StringIO) -> None:
    import logging

    from service.observability.logging import configure_logging

    buffer = io.StringIO()
    configure_logging("INFO", "json", stream=buffer)
    logging.getLogger("uvicorn.error").warning("from stdlib")
    (line,) = _lines(buffer)
    assert line["event"] == "from stdlib"
    assert line["logger"] == "uvicorn.error"
    assert line["level"] == "warning"
