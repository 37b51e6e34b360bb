"""Second-factor failures; `service.api.problem_table` maps each to its problem document."""

from __future__ import annotations

from service.core.errors import Conflict, Forbidden, NotFound, Unauthorized, Unavailable


class SecondFactorRequired(Unauthorized):
    """The password was right; the session opens only with a code for this challenge.

    Carries the challenge as problem extension members, so the answer is a 401 a client
    unaware of second factors treats as a failed login, never as a session.
    """

    def __init__(self, challenge: str, expires_in: int, methods: list[str]) -> None:
        super().__init__(
            "Send a code from the authenticator app (or a recovery code) with this "
            "challenge to POST /auth/token/second-factor."
        )
        self.extensions = {"challenge": challenge, "expires_in": expires_in, "methods": methods}


class InvalidChallenge(Unauthorized):
    """The challenge is unknown, expired, already used or being used by another request."""

    def __init__(self) -> None:
        super().__init__("The login challenge is invalid, expired or already used; log in again.")


class InvalidSecondFactorCode(Unauthorized):
    """The code is wrong, outside its time window, already used, or a spent recovery code."""

    def __init__(self) -> None:
        super().__init__("The code is incorrect or was already used.")


class WrongSecondFactorProof(Forbidden):
    """A signed-in change of the factor named a wrong password or code."""

    def __init__(self) -> None:
        super().__init__("The password or the code is incorrect.")


class WrongCode(Forbidden):
    """Confirming an enrolment with a code that is not the app's current one."""

    def __init__(self) -> None:
        super().__init__("The code is incorrect; check the app's clock and enter the newest code.")


class SecondFactorAlreadyEnabled(Conflict):
    """Enrolling while a confirmed factor exists: disable it first."""

    def __init__(self) -> None:
        super().__init__("A second factor is already enabled; disable it first.")


class NoPendingEnrolment(Conflict):
    """Confirming without an enrolment in progress (none, expired, or already confirmed)."""

    def __init__(self) -> None:
        super().__init__(
            "There is no enrolment waiting for confirmation; start one with "
            "POST /users/me/second-factor/totp."
        )


class SecondFactorNotEnabled(NotFound):
    """The user has no second factor (confirmed, or for an admin reset, pending either)."""

    def __init__(self) -> None:
        super().__init__("This user has no second factor.")


class SecondFactorUnavailable(Unavailable):
    """A stored secret no configured SECOND_FACTOR_KEY opens: an operator's error."""

    def __init__(self) -> None:
        super().__init__(
            "Second factors cannot be checked right now (key configuration).",
            retry_after_s=60,
        )
