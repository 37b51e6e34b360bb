"""Why a new password is refused: each a 422 naming the field and how to do better;
`service.api.problem_table` maps each to its problem document."""

from __future__ import annotations

from service.core.errors import FieldError, ServiceError, Unavailable


class PasswordRefused(ServiceError):
    """A new password the policy refuses; `errors` names the field and gives a hint."""

    # The problem type's slug, also the field error's `type`.
    reason = "password-refused"

    def __init__(self, detail: str, field: str, hint: str) -> None:
        super().__init__(detail)
        # The password itself is never part of an answer, only where it was and what to do.
        self.errors = [FieldError(loc=["body", field], msg=hint, type=self.reason)]


class WeakPassword(PasswordRefused):
    """zxcvbn estimates the password would be guessed too soon."""

    reason = "weak-password"


class BreachedPassword(PasswordRefused):
    """The password appears in the breach corpus at least the configured number of times."""

    reason = "breached-password"


class PasswordContainsIdentity(PasswordRefused):
    """The password contains the username or the local part of the email address."""

    reason = "password-contains-identity"


class BreachCheckUnavailable(Unavailable):
    """The breach corpus could not be asked in time and the check is set to fail closed."""

    def __init__(self, retry_after_s: int = 5) -> None:
        super().__init__(
            "The password could not be checked against known breaches just now; nothing "
            "was changed. Retry after the indicated number of seconds.",
            retry_after_s=retry_after_s,
        )
