"""Passkey failures; `service.api.problem_table` maps each to its problem document."""

from __future__ import annotations

from service.core.errors import Conflict, Forbidden, NotFound, ServiceError, Unauthorized


class InvalidPasskeyResponse(ServiceError):
    """A registration response that does not verify (origin, RP id, challenge, signature)."""


class PasskeyLoginFailed(Unauthorized):
    """A passkey login that did not verify: deliberately one answer for every cause."""

    def __init__(self) -> None:
        super().__init__("The passkey could not be verified; ask for new options and retry.")


class PasskeyDisabled(Forbidden):
    """A correctly signed assertion from a passkey that is disabled as possibly cloned."""

    def __init__(self) -> None:
        super().__init__(
            "This passkey is disabled: its signature counter went backwards, as a copied "
            "authenticator's does. Sign in otherwise, remove it and register a new one."
        )


class PasskeyNotFound(NotFound):
    """The caller has no passkey with this id."""

    def __init__(self) -> None:
        super().__init__("The caller has no passkey with this id.")


class PasskeyAlreadyRegistered(Conflict):
    """The authenticator's credential is already registered (to this or another account)."""

    def __init__(self) -> None:
        super().__init__("This passkey is already registered.")


class TooManyPasskeys(Conflict):
    """The caller already has as many passkeys as an account may hold."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"An account holds at most {limit} passkeys; remove one first.")
