"""The pages mailed links open: confirm an email address, set a password.

Each `GET` shows a form and uses nothing up: mail scanners and link previews fetch links
before a person does. The form's `POST` (form-encoded, the token in a hidden field)
redeems the token through the same use cases as `POST /auth/verify` and
`POST /auth/reset-password`, and shows the outcome. The token itself is the secret the
form proves knowledge of, so the forms need no CSRF token of their own. The pages are
for people, not API clients: they stay out of the OpenAPI document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, TypeGuard
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import TypeAdapter, ValidationError

from service.accounts import lifecycle, resets
from service.accounts.lifecycle import RESET_PASSWORD_PAGE, VERIFY_EMAIL_PAGE
from service.api.declared_routes import declared
from service.api.deps import AuditDep, Hasher, Mail, Passwords, Users
from service.api.page_views import LinkToken, page
from service.api.problem_table import problem_headers, problem_kind
from service.auth.errors import InvalidAccountToken
from service.auth.one_time import Purpose
from service.core.errors import MalformedForm, ServiceError, UnsupportedMediaType
from service.core.types import Password
from service.http.media_types import media_type
from service.http.routing import ServiceRoute

router = APIRouter(route_class=declared(ServiceRoute), include_in_schema=False)

# What `service.auth` issues: URL-safe base64 (43 characters); anything else is no token.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")
_PASSWORD = TypeAdapter(Password)
# The bounds the API enforces, shown on the form and checked by the browser as well.
PASSWORD_MIN = int(_PASSWORD.json_schema()["minLength"])
PASSWORD_MAX = int(_PASSWORD.json_schema()["maxLength"])
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
# A page form has three fields; a body with many more is no form of ours.
MAX_FORM_FIELDS = 8
DAMAGED = "The link is incomplete or damaged: open it exactly as it was mailed."
DEAD = "The link is invalid, expired or already used."


async def page_form(request: Request) -> dict[str, str]:
    """The fields of a page's form post (`application/x-www-form-urlencoded`).

    A browser submitting the page always sends this type, so anything else comes from
    a program, which gets the usual problem document (415, 400) rather than a page."""
    if media_type(request.headers.get("content-type")) != FORM_MEDIA_TYPE:
        raise UnsupportedMediaType(f"Send the form as {FORM_MEDIA_TYPE}.")
    try:
        pairs = parse_qsl(
            (await request.body()).decode(), max_num_fields=MAX_FORM_FIELDS, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise MalformedForm from None
    return dict(pairs)


PageForm = Annotated[dict[str, str], Depends(page_form)]


def _well_formed(token: str | None) -> TypeGuard[str]:
    return token is not None and _TOKEN.fullmatch(token) is not None


def _dead_link(reason: str = DEAD, status: int = 410) -> HTMLResponse:
    return page("dead_link.html", status=status, reason=reason)


def _password_problem(new_password: str, confirmation: str) -> str | None:
    """Why the submitted password cannot be set, in words that never repeat it."""
    try:
        _PASSWORD.validate_python(new_password)
    except ValidationError:
        return f"Choose a password of {PASSWORD_MIN} to {PASSWORD_MAX} characters."
    if new_password != confirmation:
        return "The two passwords differ: type the same password twice."
    return None


def _password_form(
    token: str,
    *,
    error: str | None = None,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    return page(
        "set_password.html",
        status=status,
        headers=headers,
        token=token,
        error=error,
        min_length=PASSWORD_MIN,
        max_length=PASSWORD_MAX,
    )


@router.get(VERIFY_EMAIL_PAGE, response_class=HTMLResponse)
async def verify_email_page(token: LinkToken = None) -> HTMLResponse:
    """The confirmation form of a verification link; a dead link says so at once."""
    if not _well_formed(token):
        return _dead_link(DAMAGED, 400)
    if not await lifecycle.link_is_live(Purpose.VERIFY_EMAIL, token):
        return _dead_link()
    return page("verify_email.html", token=token, error=None)


@router.post(VERIFY_EMAIL_PAGE, response_class=HTMLResponse)
async def verify_email(form: PageForm, users: Users, audit: AuditDep) -> HTMLResponse:
    """Redeem the verification token; the outcome as a page."""
    token = form.get("token")
    if not _well_formed(token):
        return _dead_link(DAMAGED, 400)
    try:
        user = await lifecycle.verify(users, token, audit)
    except InvalidAccountToken:
        return _dead_link()
    except ServiceError as exc:  # busy or unavailable: the same form, to try again
        return page(
            "verify_email.html",
            status=problem_kind(type(exc)).status,
            headers=problem_headers(exc),
            token=token,
            error=str(exc),
        )
    return page("verified.html", email=user.email)


@router.get(RESET_PASSWORD_PAGE, response_class=HTMLResponse)
async def reset_password_page(token: LinkToken = None) -> HTMLResponse:
    """The new-password form of a reset (or invitation) link; a dead link says so at once."""
    if not _well_formed(token):
        return _dead_link(DAMAGED, 400)
    if not await lifecycle.link_is_live(Purpose.RESET_PASSWORD, token):
        return _dead_link()
    return _password_form(token)


@router.post(RESET_PASSWORD_PAGE, response_class=HTMLResponse)
async def reset_password(
    form: PageForm, users: Users, hasher: Hasher, mail: Mail, audit: AuditDep, policy: Passwords
) -> HTMLResponse:
    """Set the new password with the reset token; the outcome as a page. A refused
    password shows the form again with the reason, never with the password."""
    token = form.get("token")
    if not _well_formed(token):
        return _dead_link(DAMAGED, 400)
    new_password = form.get("new_password", "")
    problem = _password_problem(new_password, form.get("confirm_password", ""))
    if problem is not None:
        return _password_form(token, error=problem, status=422)
    try:
        await resets.reset_password(users, token, new_password, hasher, mail, audit, policy)
    except InvalidAccountToken:
        return _dead_link()
    except ServiceError as exc:  # busy or unavailable: submitting again finishes the reset
        return _password_form(
            token,
            error=str(exc),
            status=problem_kind(type(exc)).status,
            headers=problem_headers(exc),
        )
    return page("password_set.html")
