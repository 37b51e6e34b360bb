"""Passkey failures, each mapped to its problem document by `service.http.error_handlers`."""

from __future__ import annotations

from service.core.errors import Conflict, Forbidden, NotFound, ServiceError, Unauthorized


class InvalidPasskeyResponse(ServiceError):
    """A registration response that does not verify (origin, RP id, challenge, signature)."""

    status, slug, title = 400, "invalid-passkey-response", "Invalid Passkey Response"


class PasskeyLoginFailed(Unauthorized):
    """A passkey login that did not verify: deliberately one answer for every cause."""

    slug = "passkey-login-failed"

    def __init__(self) -> None:
        super().__init__("The passkey could not be verified; ask for new options and retry.")


class PasskeyDisabled(Forbidden):
    """A correctly signed assertion from a passkey that is disabled as possibly cloned."""

    slug = "passkey-disabled"

    def __init__(self) -> None:
        super().__init__(
            "This passkey is disabled: its signature counter went backwards, as a copied "
            "authenticator's does. Sign in otherwise, remove it and register a new one."
        )


class PasskeyNotFound(NotFound):
    """The caller has no passkey with this id."""

    slug = "passkey-not-found"

    def __init__(self) -> None:
        super().__init__("The caller has no passkey with this id.")


class PasskeyAlreadyRegistered(Conflict):
    """The authenticator's credential is already registered (to this or another account)."""

    slug = "passkey-already-registered"

    def __init__(self) -> None:
        super().__init__("This passkey is already registered.")


class TooManyPasskeys(Conflict):
    """The caller already has as many passkeys as an account may hold."""

    slug = "too-many-passkeys"

    def __init__(self, limit: int) -> None:
        super().__init__(f"An account holds at most {limit} passkeys; remove one first.")
