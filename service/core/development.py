"""Defaults that differ in development: roomy enough to follow every documented example.

`make run` serves with `ENVIRONMENT=development`; a person pasting the README's and docs'
shell blocks one after another registers, logs in and asks for mails far more often in a
minute than a real client does. Production and tests keep the strict defaults of
`Settings`; a value set in the environment always wins.
"""

from __future__ import annotations

from typing import Any

DEVELOPMENT_DEFAULTS: dict[str, Any] = {
    # Every shell block of the README and docs/ pasted in one minute uses ~50 auth calls.
    "rate_limit_auth": "300/minute",
    # Each documented registration mails its own address from one client (127.0.0.1).
    "mail_budget_per_client": 300,
    # Where mailed links can be read back while no SMTP server is configured.
    "mail_log_file": ".local/mail.jsonl",
}


def with_development_defaults(data: Any) -> Any:
    """`data` (the raw settings) with the development defaults filled in where unset."""
    if not isinstance(data, dict):
        return data
    environment = str(data.get("environment", "development")).strip().lower()
    if environment != "development":
        return data
    given = {str(key).lower() for key in data}
    return {**data, **{k: v for k, v in DEVELOPMENT_DEFAULTS.items() if k not in given}}
