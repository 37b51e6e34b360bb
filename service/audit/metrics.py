"""Prometheus series of the audit trail: events stored and writes that failed, by type."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter

from service.audit.models import AuditEventType


@dataclass(frozen=True)
class AuditMetrics:
    """Events stored, events whose write failed (their action answered 503), and events
    withdrawn because their change was refused after they were stored."""

    events: Counter
    write_failures: Counter
    withdrawn: Counter

    @classmethod
    def on(cls, registry: CollectorRegistry) -> AuditMetrics:
        """Create the series in `registry`, every event type at 0 from the start."""
        events = Counter(
            "audit_events",
            "Security events stored in the audit trail, by type.",
            ["type"],
            registry=registry,
        )
        failures = Counter(
            "audit_write_failures",
            "Security events whose audit write failed, by type: the action was refused (503).",
            ["type"],
            registry=registry,
        )
        withdrawn = Counter(
            "audit_events_withdrawn",
            "Stored security events removed again because their change was then refused.",
            ["type"],
            registry=registry,
        )
        # Born at 0, so the first event after a restart shows in rate() and alerts.
        for event_type in AuditEventType:
            events.labels(type=event_type.value)
            failures.labels(type=event_type.value)
            withdrawn.labels(type=event_type.value)
        return cls(events=events, write_failures=failures, withdrawn=withdrawn)
