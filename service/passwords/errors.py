"""Why a new password is refused: each a 422 naming the field and how to do better."""

from __future__ import annotations

from service.core.errors import ServiceError


class PasswordRefused(ServiceError):
    """A new password the policy refuses; `errors` names the field and gives a hint."""

    status, slug, title = 422, "password-refused", "Password refused"

    def __init__(self, detail: str, field: str, hint: str) -> None:
        super().__init__(detail)
        # The password itself is never part of an answer, only where it was and what to do.
        self.errors = [{"loc": ["body", field], "msg": hint, "type": self.slug}]


class WeakPassword(PasswordRefused):
    """zxcvbn estimates the password would be guessed too soon."""

    slug, title = "weak-password", "Password too weak"


class BreachedPassword(PasswordRefused):
    """The password appears in the breach corpus at least the configured number of times."""

    slug, title = "breached-password", "Password found in a data breach"


class PasswordContainsIdentity(PasswordRefused):
    """The password contains the username or the local part of the email address."""

    slug, title = "password-contains-identity", "Password contains your username or email"


class BreachCheckUnavailable(ServiceError):
    """The breach corpus could not be asked in time and the check is set to fail closed."""

    status, slug, title = 503, "breach-check-unavailable", "Service Unavailable"

    def __init__(self, retry_after_s: int = 5) -> None:
        super().__init__(
            "The password could not be checked against known breaches just now; nothing "
            "was changed. Retry after the indicated number of seconds.",
            headers={"Retry-After": str(retry_after_s)},
        )
