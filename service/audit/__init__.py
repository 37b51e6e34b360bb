"""The audit trail: one append-only document per security event."""
