"""The settings every benchmark's service starts with: a production start, minus mail.

Production refuses to start without a mail server, a signing key, a sealing key for
second factors and a passkey origin; the benchmarks send no mail and run no ceremony,
so these only have to be valid. The breach check is off: no benchmark reaches the
Internet (`bench/password_policy.py` measures that check on a loopback corpus).
"""

from __future__ import annotations

from bench.token_keys import SIGNING_KEY

PRODUCTION_ENV = {
    "ENVIRONMENT": "production",
    "SMTP_HOST": "127.0.0.1",
    "JWT_SIGNING_KEY": SIGNING_KEY,
    "SECOND_FACTOR_KEY": "YmVuY2gtb25seS1zZWNvbmQtZmFjdG9yLWtleS0wMDA=",
    "WEBAUTHN_ORIGINS": "https://bench.example",
    "HIBP_ENABLED": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
}
