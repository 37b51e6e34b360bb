"""HTTP routes of the account lifecycle: email verification and password reset."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, Field

from service.accounts import lifecycle, resets
from service.accounts.lifecycle import MailPolicy
from service.auth.dependencies import ClientAddress, Hasher
from service.core.types import Password
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute
from service.kernel.state import SettingsDep, from_state
from service.mail.budget import MailBudget
from service.mail.outbox import Outbox
from service.observability.metrics import Metrics
from service.users.dependencies import Users
from service.users.read import to_read
from service.users.schemas import Email, UserRead

router = APIRouter(prefix="/auth", tags=["auth"], route_class=ServiceRoute)

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


async def mail_policy(request: Request, settings: SettingsDep, metrics: Metrics) -> MailPolicy:
    """Token lifetimes, mail budget and link base for this request: `PUBLIC_BASE_URL` when
    set, else this request's host, which `ALLOWED_HOSTS` has checked (production needs one)."""
    return MailPolicy(
        base_url=settings.public_base_url or str(request.base_url),
        verify_ttl=timedelta(seconds=settings.verify_token_ttl_s),
        reset_ttl=timedelta(seconds=settings.reset_token_ttl_s),
        max_per_window=settings.account_mail_max_per_window,
        window_s=settings.login_window_s,
        budget=MailBudget(
            per_recipient=settings.mail_budget_per_recipient,
            per_client=settings.mail_budget_per_client,
            window_s=settings.mail_budget_window_s,
        ),
        withheld=metrics.mails_withheld,
    )


Mail = Annotated[Outbox, from_state("mail")]  # the app's mail outbox
Policy = Annotated[MailPolicy, Depends(mail_policy)]


@router.post(
    "/verify/request",
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
    body: EmailRequest, client: ClientAddress, mail: Mail, policy: Policy
) -> Accepted:
    """Mail a verification link when the address has an unverified account."""
    await lifecycle.request_verification(body.email, client, mail, policy)
    return Accepted()


@router.post(
    "/verify",
    response_model=UserRead,
    dependencies=[JsonBody],
    summary="Confirm an email address",
    description="Redeems the token of a verification link (single use, expires, valid only "
    "while the account still has the address it was mailed to) and returns the user. An "
    "invalid, used or expired token is a 400 `invalid-token` problem.",
    responses=problem_responses(400, 415, 422, 503),
)
async def verify(body: TokenRequest, request: Request, users: Users) -> UserRead:
    """Mark the address verified."""
    return to_read(await lifecycle.verify(users, body.token), request)


@router.post(
    "/forgot-password",
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
    body: EmailRequest, client: ClientAddress, mail: Mail, policy: Policy
) -> Accepted:
    """Mail a reset link when the address has an account."""
    await lifecycle.forgot_password(body.email, client, mail, policy)
    return Accepted()


@router.post(
    "/reset-password",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[JsonBody],
    summary="Set a new password with a reset link",
    description="Redeems the token (single use, short expiry), sets the new password, ends "
    "every session (refresh and access tokens) and mails a notice: all of it or none. An "
    "invalid, used or expired token is a 400 `invalid-token` problem. After a 503, send "
    "the same token with the same new password again: it finishes the reset (204).",
    responses=problem_responses(400, 415, 422, 503),
)
async def reset_password(body: PasswordReset, users: Users, hasher: Hasher, mail: Mail) -> Response:
    """Set a new password."""
    await resets.reset_password(users, body.token, body.new_password, hasher, mail)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
