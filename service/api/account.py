"""The caller's account: email verification, password reset by mail, and the password
change of a logged-in user."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from service.accounts import lifecycle, passwords, resets
from service.api.declared_routes import declared
from service.api.deps import (
    AuditDep,
    Claims,
    ClientAddress,
    CurrentUser,
    Hasher,
    Mail,
    MailPolicyDep,
    Passwords,
    Users,
)
from service.api.user_views import to_read
from service.auth.schemas import PasswordChange
from service.core.types import Password
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute
from service.users.fields import Email
from service.users.schemas import UserRead

# Verification and resets are among the auth operations; the password change is the user's.
router = APIRouter(route_class=declared(ServiceRoute))
AUTH: list[str | Enum] = ["auth"]
USERS: list[str | Enum] = ["users"]

# 256 random bits, URL-safe base64: 43 characters; some slack, but no megabyte tokens.
Token = Annotated[str, Field(min_length=16, max_length=128, description="The token from the link.")]
ACCEPTED = "Accepted: if the address belongs to an account, a mail is on its way."


class EmailRequest(BaseModel):
    """An address to mail a link to."""

    email: Email


class TokenRequest(BaseModel):
    """A token from a mailed link."""

    token: Token


class PasswordReset(BaseModel):
    """A reset token and the new password."""

    token: Token
    new_password: Password


class Accepted(BaseModel):
    """The same answer for every address, so it tells nobody which ones have accounts."""

    detail: str = ACCEPTED


@router.post(
    "/auth/verify/request",
    tags=AUTH,
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    dependencies=[JsonBody],
    summary="Mail a new verification link",
    description="Always 202 with the same body, whether or not the address has an account "
    "(or is already verified). Throttled per address and client (429). A mail beyond the "
    "mail budget (per inbox and per client, shared by every route that mails) is withheld, "
    "with the same answer.",
    responses=problem_responses(400, 415, 422, 429, 503),
)
async def request_verification(
    body: EmailRequest, client: ClientAddress, mail: Mail, policy: MailPolicyDep
) -> Accepted:
    """Mail a verification link when the address has an unverified account."""
    await lifecycle.request_verification(body.email, client, mail, policy)
    return Accepted()


@router.post(
    "/auth/verify",
    tags=AUTH,
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Confirm an email address",
    description="Redeems the token of a verification link (single use, expires, valid only "
    "while the account still has the address it was mailed to) and returns the user. An "
    "invalid, used or expired token is a 400 `invalid-token` problem.",
    responses=problem_responses(400, 415, 422, 503),
)
async def verify(body: TokenRequest, request: Request, users: Users, audit: AuditDep) -> UserRead:
    """Mark the address verified."""
    return to_read(await lifecycle.verify(users, body.token, audit), request)


@router.post(
    "/auth/forgot-password",
    tags=AUTH,
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    dependencies=[JsonBody],
    summary="Mail a password-reset link",
    description="Always 202 with the same body, whether or not the address has an account; "
    "the same work is done either way. Throttled per address and client (429). A mail "
    "beyond the mail budget (per inbox and per client, shared by every route that mails) "
    "is withheld, with the same answer.",
    responses=problem_responses(400, 415, 422, 429, 503),
)
async def forgot_password(
    body: EmailRequest, client: ClientAddress, mail: Mail, policy: MailPolicyDep
) -> Accepted:
    """Mail a reset link when the address has an account."""
    await lifecycle.forgot_password(body.email, client, mail, policy)
    return Accepted()


@router.post(
    "/auth/reset-password",
    tags=AUTH,
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[JsonBody],
    summary="Set a new password with a reset link",
    description="Redeems the token (single use, short expiry), sets the new password, ends "
    "every session (refresh and access tokens) and mails a notice: all of it or none. An "
    "invalid, used or expired token is a 400 `invalid-token` problem. After a 503, send "
    "the same token with the same new password again: it finishes the reset (204). The new "
    "password must pass the password-quality rules (see `POST /users`); a 422 refusal "
    "leaves the link usable.",
    responses=problem_responses(400, 415, 422, 503),
)
async def reset_password(
    body: PasswordReset,
    users: Users,
    hasher: Hasher,
    mail: Mail,
    audit: AuditDep,
    policy: Passwords,
) -> Response:
    """Set a new password."""
    await resets.reset_password(users, body.token, body.new_password, hasher, mail, audit, policy)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/users/me/password",
    tags=USERS,
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[JsonBody],
    summary="Change the caller's password",
    description="Needs the current password. Every other session ends: their refresh tokens "
    "are revoked and all access tokens issued so far stop working; this session's refresh "
    "token keeps working and yields a fresh access token. The new password and the end of "
    "the old tokens come in one write: after a 503, either both happened or neither. The "
    "new password must pass the password-quality rules (see `POST /users`): 422 otherwise.",
    responses=problem_responses(400, 401, 403, 415, 422, 503),
)
async def change_password(
    body: PasswordChange,
    caller: CurrentUser,
    users: Users,
    claims: Claims,
    hasher: Hasher,
    audit: AuditDep,
    policy: Passwords,
) -> Response:
    """Set a new password."""
    await passwords.change_password(
        users,
        caller,
        body.current_password,
        body.new_password,
        session_id=claims.session_id,
        hasher=hasher,
        audit=audit,
        passwords=policy,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
