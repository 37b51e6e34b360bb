"""Who is asking: the caller as every domain sees it, and the dependency that resolves it.

Domains ask "who is calling?" through `CurrentCaller` without knowing how the answer is
found. The answer is found by an `Authenticator` (the auth domain's token check over the
users domain's directory), which the composition root builds at start-up and puts into the
lifespan state as `authenticator`. So neither domain imports the other for identity.
"""

from __future__ import annotations

from typing import Annotated, Protocol

from beanie import PydanticObjectId
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from service.core.errors import Forbidden

ADMIN_ROLE = "admin"

# auto_error=False: a missing token becomes our own 401 problem, not FastAPI's plain one.
bearer_scheme = OAuth2PasswordBearer(
    tokenUrl="/auth/token",
    auto_error=False,
    description="Log in at /auth/token (username or email + password) and send the "
    "access token as `Authorization: Bearer <token>`.",
)


class Caller(Protocol):
    """What any domain may know of the user making a request."""

    @property
    def id(self) -> PydanticObjectId | None:
        """The caller's user id (always set for a resolved caller)."""

    @property
    def username(self) -> str:
        """The caller's username, for audit records."""

    @property
    def role(self) -> str:
        """`admin` or `user`."""

    @property
    def is_active(self) -> bool:
        """False once an admin deactivates the account."""

    @property
    def token_version(self) -> int:
        """Tokens issued under an older version are void."""


class CallerDirectory(Protocol):
    """Finds the current state of a caller by id (the users domain implements it)."""

    async def find_caller(self, user_id: PydanticObjectId) -> Caller | None:
        """The caller with this id as stored now, or None."""


class Authenticator(Protocol):
    """Turns a bearer token into the caller it was issued to (the auth domain implements it)."""

    async def authenticate(self, token: str | None) -> Caller:
        """The active caller the token belongs to, or raise the 401 error of the service."""


class TokenSubjects(Protocol):
    """Reads the subject of a valid access token without any database read."""

    def subject(self, token: str) -> str | None:
        """The user id the token was issued to, or None when it is not valid."""


class AdminOnly(Forbidden):
    """Only an admin may do this."""

    slug = "admin-only"


def is_admin(caller: Caller | None) -> bool:
    """Whether the caller holds the admin role."""
    return caller is not None and caller.role == ADMIN_ROLE


def require_admin(caller: Caller | None, message: str) -> None:
    """Refuse anyone but an admin with a 403 `admin-only` saying `message`."""
    if not is_admin(caller):
        raise AdminOnly(message)


async def current_caller(
    request: Request, token: Annotated[str | None, Depends(bearer_scheme)]
) -> Caller:
    """The active user the bearer token was issued to, under their current token version.

    One dependency rather than a chain of small ones (the authenticator is read from the
    lifespan state here, not injected): each dependency the framework resolves costs CPU
    on every authenticated request.
    """
    authenticator: Authenticator = request.state.authenticator
    return await authenticator.authenticate(token)


async def optional_caller(
    request: Request, token: Annotated[str | None, Depends(bearer_scheme)]
) -> Caller | None:
    """The caller when a token is sent (it must then be valid), else None."""
    if not token:
        return None
    return await current_caller(request, token)


CurrentCaller = Annotated[Caller, Depends(current_caller)]
OptionalCaller = Annotated[Caller | None, Depends(optional_caller)]
