"""TOTP second factors: enrol, confirm, disable, new recovery codes, an admin's reset, and
the second step of a login (`POST /auth/token/second-factor`).

The use cases live in `service.accounts` (second_factor_enrolment, _removal, _login).
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from service.accounts import second_factor_enrolment as enrolment
from service.accounts import second_factor_login as second_step
from service.accounts import second_factor_removal as removal
from service.api.declared_routes import declared
from service.api.deps import CurrentUser, UserIdPath
from service.api.second_factor_deps import CodeStepDep, FactorGuard
from service.api.second_factor_schemas import (
    ChallengeRedemption,
    CodeRequest,
    EnrolRequest,
    ProofRequest,
    RecoveryCodes,
    SecondFactorStatus,
    TotpEnrolment,
)
from service.auth.schemas import TokenPair
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute

router = APIRouter(tags=["second factor"], route_class=declared(ServiceRoute))

ME = "/users/me/second-factor"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.get(
    ME,
    response_model=SecondFactorStatus,
    summary="The caller's second factor",
    description="Whether a TOTP factor is enabled (or an enrolment pending) and how many "
    "recovery codes are left. The secret is never shown again after enrolment.",
    responses=problem_responses(401, 503),
)
async def get_status(user: CurrentUser) -> SecondFactorStatus:
    """The caller's factor, without its secret."""
    found = await enrolment.status(user)
    return SecondFactorStatus(
        enabled=found.state is not None and found.state.value == "confirmed",
        state=found.state.value if found.state is not None else None,
        confirmed_at=found.confirmed_at,
        recovery_codes_left=found.recovery_codes_left,
    )


@router.post(
    f"{ME}/totp",
    status_code=status.HTTP_201_CREATED,
    response_model=TotpEnrolment,
    summary="Start a TOTP enrolment",
    description="Needs the account password. Returns a new secret, its `otpauth://` URI "
    "and that URI as a QR image (SVG data URI) for an authenticator app; shown this once. "
    "Nothing changes for logins until `POST .../totp/confirm` with a first code. Starting "
    "again replaces a pending enrolment; with a factor enabled the answer is 409. A wrong "
    "password is 403 and counts as a failed login.",
    dependencies=[JsonBody],
    responses=problem_responses(400, 401, 403, 409, 415, 422, 429, 503),
)
async def enrol(
    body: EnrolRequest, user: CurrentUser, guard: FactorGuard, response: Response
) -> TotpEnrolment:
    """A new pending TOTP factor."""
    started = await enrolment.enrol(user, body.password, guard)
    response.headers.update(NO_STORE)
    return TotpEnrolment(
        secret=started.secret,
        otpauth_uri=started.otpauth_uri,
        qr_image=started.qr_svg,
        expires_at=started.expires_at,
    )


@router.post(
    f"{ME}/totp/confirm",
    response_model=RecoveryCodes,
    summary="Confirm the TOTP enrolment",
    description="A current code from the app turns the factor on: from now on a login "
    "needs a code after the password. Returns ten single-use recovery codes, shown this "
    "once. 403 for a wrong code, 409 without a pending enrolment.",
    dependencies=[JsonBody],
    responses=problem_responses(400, 401, 403, 409, 415, 422, 503),
)
async def confirm(
    body: CodeRequest, user: CurrentUser, guard: FactorGuard, response: Response
) -> RecoveryCodes:
    """Enable the pending factor."""
    codes = await enrolment.confirm(user, body.code, guard)
    response.headers.update(NO_STORE)
    return RecoveryCodes(recovery_codes=codes)


@router.post(
    f"{ME}/disable",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Turn the second factor off",
    description="Needs the password and a current code (or a recovery code). Wrong ones "
    "are 403 and count as failed logins. The recovery codes die with the factor.",
    dependencies=[JsonBody],
    responses=problem_responses(400, 401, 403, 404, 415, 422, 429, 503),
)
async def disable(body: ProofRequest, user: CurrentUser, guard: FactorGuard) -> Response:
    """Remove the caller's factor."""
    await removal.disable(user, body.password, body.code, guard)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    f"{ME}/recovery-codes",
    response_model=RecoveryCodes,
    summary="Replace the recovery codes",
    description="Needs the password and a current code (or a recovery code). Returns ten "
    "new codes, shown this once; every earlier code stops working.",
    dependencies=[JsonBody],
    responses=problem_responses(400, 401, 403, 404, 415, 422, 429, 503),
)
async def regenerate(
    body: ProofRequest, user: CurrentUser, guard: FactorGuard, response: Response
) -> RecoveryCodes:
    """New recovery codes."""
    codes = await removal.regenerate_codes(user, body.password, body.code, guard)
    response.headers.update(NO_STORE)
    return RecoveryCodes(recovery_codes=codes)


@router.delete(
    "/users/{user_id}/second-factor",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Reset a user's second factor (admin)",
    description="For a user who lost both the app and the recovery codes: removes the "
    "factor (enabled or pending), so the password alone logs in until they enrol again. "
    "Recorded in the audit trail with the admin as actor. 403 for non-admins, 404 when "
    "the user has no factor.",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def admin_reset(user_id: UserIdPath, admin: CurrentUser, guard: FactorGuard) -> Response:
    """Remove a user's factor as an admin."""
    await removal.admin_reset(admin, user_id, guard.audit, guard.outcomes)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/auth/token/second-factor",
    response_model=TokenPair,
    tags=["auth"],
    summary="Complete a login with a second factor",
    description="The `challenge` from `POST /auth/token`'s `second-factor-required` answer "
    "and a current code from the app, or an unused recovery code. Each code works once; a "
    "challenge opens one session, and dies after 5 wrong codes or 5 minutes "
    "(`invalid-challenge`: log in again). Wrong codes (`invalid-second-factor-code`) count "
    "as failed logins, throttled with 429 and `Retry-After`.",
    dependencies=[JsonBody],
    responses=problem_responses(400, 401, 415, 422, 429, 503),
)
async def redeem(body: ChallengeRedemption, step: CodeStepDep, response: Response) -> TokenPair:
    """Tokens for a challenge and a code."""
    tokens = await second_step.complete(body.challenge, body.code, step)
    response.headers.update(NO_STORE)
    return tokens
