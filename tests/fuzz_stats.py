"""How much the schemathesis run did, printed in pytest's summary (see conftest)."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()


def summary() -> str | None:
    """One line for the terminal summary, or None when no schemathesis test ran."""
    if not COUNTS:
        return None
    return (
        f"schemathesis: {COUNTS['cases']} cases ({COUNTS['scenarios']} stateful scenarios), "
        f"{COUNTS['requests']} HTTP requests"
    )
