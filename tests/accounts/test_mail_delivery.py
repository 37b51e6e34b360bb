"""Mail delivery: failures are retried, then counted; development without SMTP logs mails."""

from __future__ import annotations

import io
import json

import httpx
from prometheus_client import CollectorRegistry

from service.core.config import Settings
from service.core.setting_types import Environment
from service.mail.outbox import Outbox
from service.mail.sender import SmtpConfig, SmtpSender
from service.mail.templates import render
from service.observability.counters import BusinessMetrics
from service.observability.logging import configure_logging
from tests.conftest import AppFactory
from tests.factories import user_payload
from tests.secret_scan import SecretLedger, Tee
from tests.smtp_server import Mailbox, free_port, html_of


async def test_undeliverable_mail_is_retried_then_counted(log_output: io.StringIO) -> None:
    registry = CollectorRegistry()
    metrics = BusinessMetrics.on(registry)
    assert registry.get_sample_value("mails_failed_total", {"kind": "reset_password"}) == 0
    nowhere = SmtpSender(SmtpConfig(host="127.0.0.1", port=free_port(), sender="a@example.com"))
    outbox = Outbox(
        nowhere, sent=metrics.mails_sent, failed=metrics.mails_failed, retry_delays_s=(0.01, 0.01)
    )
    outbox.post(render("reset_password", "x@example.com", name="X", link="L-secret", minutes=1))
    await outbox.drain()
    assert registry.get_sample_value("mails_failed_total", {"kind": "reset_password"}) == 1
    events = [json.loads(line) for line in log_output.getvalue().splitlines() if line]
    failed = [e for e in events if e["event"] == "mail.failed"]
    assert failed
    assert failed[0]["attempts"] == 3
    assert "L-secret" not in log_output.getvalue()


async def test_metrics_count_sent_mail(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    before = await client.get("/metrics")
    assert 'mails_failed_total{kind="verify_email"} 0.0' in before.text
    payload = user_payload()
    assert (await client.post("/users", json=payload)).status_code == 201
    await mailbox.wait_for(payload["email"], "Confirm")
    text = ""
    for _ in range(50):  # the counter moves just after the server accepted the message
        text = (await client.get("/metrics")).text
        if 'mails_sent_total{kind="verify_email"} 0.0' not in text:
            break
    assert 'mails_sent_total{kind="verify_email"} 0.0' not in text


async def test_html_mail_escapes_what_users_typed(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    payload = user_payload(name="<b>Mallory</b>")
    assert (await client.post("/users", json=payload)).status_code == 201
    html = html_of(await mailbox.wait_for(payload["email"], "Confirm"))
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in html
    assert "<b>Mallory" not in html


async def test_development_without_smtp_logs_the_link(
    app_with: AppFactory, log_output: io.StringIO, settings: Settings, ledger: SecretLedger
) -> None:
    async with app_with(environment=Environment.DEVELOPMENT, smtp_host=None) as other:
        # Building the other app configured logging afresh: capture it again.
        configure_logging(settings.log_level, "json", stream=Tee(log_output, ledger.log))
        payload = user_payload()
        assert (await other.post("/users", json=payload)).status_code == 201
        for _ in range(100):
            if '"mail.logged"' in log_output.getvalue():
                break
            await other.get("/health/live")
    logged = [
        json.loads(line) for line in log_output.getvalue().splitlines() if '"mail.logged"' in line
    ]
    assert logged[0]["to"] == payload["email"]
    assert "/account/verify-email?token=" in logged[0]["body"]
    assert logged[0]["level"] == "info"
