"""Authentication failures; `service.api.problems` maps each to its problem document."""

from __future__ import annotations

from service.core.errors import Forbidden, NotFound, ServiceError, TooManyRequests, Unauthorized


class NotAuthenticated(Unauthorized):
    """No bearer token, or one that is invalid, expired or revoked."""

    def __init__(self, detail: str = "A valid bearer token is required.") -> None:
        super().__init__(detail)


class InvalidCredentials(Unauthorized):
    """Wrong login or password, or an inactive account: deliberately indistinguishable."""

    def __init__(self) -> None:
        super().__init__("Incorrect username or password.")


class InvalidRefreshToken(Unauthorized):
    """The refresh token is unknown, expired, revoked or already used."""

    def __init__(self) -> None:
        super().__init__("The refresh token is invalid or has been revoked; log in again.")


class LoginThrottled(TooManyRequests):
    """Too many failed logins for this name from this address."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("Too many failed logins; try again later.", retry_after_s)


class WrongCurrentPassword(Forbidden):
    """A password change named the wrong current password."""

    def __init__(self) -> None:
        super().__init__("The current password is incorrect.")


class EmailNotVerified(Forbidden):
    """The password was right, but logins need a verified email address first."""

    def __init__(self) -> None:
        super().__init__(
            "Confirm your email address first: POST /auth/verify/request sends a new link."
        )


class InvalidAccountToken(ServiceError):
    """A verification or reset token that is unknown, used, expired or no longer valid."""

    def __init__(self) -> None:
        super().__init__("The link is invalid, expired or already used; ask for a new one.")


class SessionNotFound(NotFound):
    """No active session of the caller has this id."""

    def __init__(self) -> None:
        super().__init__("The caller has no active session with this id.")


class AccountMailThrottled(TooManyRequests):
    """Too many verification or reset mails asked for one address from one client."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("Too many requests for this address; try again later.", retry_after_s)
