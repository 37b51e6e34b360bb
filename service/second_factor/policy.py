"""What the second-factor use cases need from the settings, built once at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from service.second_factor.sealing import Keyring

# A challenge bridges the password step and the code step: long enough to open an app and
# type a code, short enough that a leaked one is soon worthless.
CHALLENGE_TTL = timedelta(minutes=5)
# Wrong codes one challenge may see before it is spent; the login throttle also counts them.
MAX_CHALLENGE_ATTEMPTS = 5
RECOVERY_CODE_COUNT = 10


@dataclass(frozen=True)
class SecondFactorPolicy:
    """Keys, the issuer shown in apps, the enrolment lifetime and the guessing bound."""

    keys: Keyring
    issuer: str = "users-service"
    enrolment_ttl: timedelta = timedelta(minutes=15)
    max_failures: int = 10
