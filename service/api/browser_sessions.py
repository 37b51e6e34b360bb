"""Browser sessions (opt-in, `SESSION_COOKIES`): the refresh token lives in an HttpOnly
cookie, the short-lived access token in the page's memory.

Three routes under `/auth/browser`, the cookie's whole path: log in, rotate, log out. Each
is state-changing and cookie-bound, so each passes the CSRF checks of `service.http.csrf`
first. Their answers carry no refresh token: a script (an injected one included) never
sees it. The bearer routes (`/auth/token`, `/auth/refresh`, `/auth/logout`) are unchanged.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from service.accounts import login as service
from service.accounts import second_factor_login as second_step
from service.accounts.cookie_sessions import end_cookie_session
from service.api.declared_routes import declared
from service.api.deps import (
    AuditDep,
    ClientAddress,
    Codec,
    Hasher,
    LoginPolicyDep,
    SettingsDep,
    UserAgent,
    Users,
)
from service.api.second_factor_deps import CodeStepDep
from service.api.second_factor_schemas import ChallengeRedemption
from service.auth.errors import InvalidRefreshToken
from service.auth.schemas import TokenPair
from service.auth.service import Client
from service.core.config import Settings
from service.http.csrf import CSRF_HEADER, check_same_party
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute
from service.http.session_cookie import RefreshCookie, SessionCookiesDisabled

router = APIRouter(prefix="/auth/browser", tags=["auth"], route_class=declared(ServiceRoute))

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
CSRF_NOTE = (
    f" Needs `SESSION_COOKIES=true`. CSRF: the request's `Origin` must be in `CORS_ORIGINS` "
    f"(or the service's own) and it must carry an `{CSRF_HEADER}` header; else 403 "
    "`cross-site-request`. From a page: `fetch(url, {method: 'POST', credentials: "
    f"'include', headers: {{'{CSRF_HEADER}': 'fetch'}}}})`."
)


class BrowserTokens(BaseModel):
    """A browser login or rotation: the access token only; the refresh token is a cookie."""

    access_token: str = Field(description="JWT for `Authorization: Bearer`; keep it in memory.")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type name
    expires_in: int = Field(description="Seconds until the access token expires.")


def refresh_cookie(settings: Settings) -> RefreshCookie:
    """The refresh cookie as the settings shape it."""
    return RefreshCookie(
        name=settings.session_cookie_name,
        secure=settings.session_cookie_secure,
        max_age_s=settings.refresh_token_ttl_s,
    )


async def same_party_browser(request: Request, settings: SettingsDep) -> RefreshCookie:
    """Cookie sessions must be on and the request must pass the CSRF checks; the cookie."""
    if not settings.session_cookies:
        raise SessionCookiesDisabled
    own = settings.public_base_url or f"{request.url.scheme}://{request.url.netloc}"
    check_same_party(request.headers, frozenset(settings.cors_origins), own)
    return refresh_cookie(settings)


BrowserCookie = Annotated[RefreshCookie, Depends(same_party_browser)]


def _answer(response: Response, cookie: RefreshCookie, pair: TokenPair) -> BrowserTokens:
    cookie.set(response, pair.refresh_token)
    response.headers.update(NO_STORE)
    return BrowserTokens(access_token=pair.access_token, expires_in=pair.expires_in)


def _refresh_token(request: Request, cookie: RefreshCookie) -> str | None:
    return request.cookies.get(cookie.name) or None


@router.post(
    "/token",
    response_model=BrowserTokens,
    summary="Log in a browser session",
    description="The OAuth2 password form of `/auth/token` (throttled alike); the refresh "
    "token is set as an `HttpOnly; Secure; SameSite=Lax` cookie scoped to `/auth/browser`, "
    "the access token is in the body." + CSRF_NOTE,
    responses=problem_responses(400, 401, 403, 404, 422, 429, 503),
)
async def browser_login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    cookie: BrowserCookie,
    response: Response,
    users: Users,
    hasher: Hasher,
    codec: Codec,
    policy: LoginPolicyDep,
    client: ClientAddress,
    audit: AuditDep,
    user_agent: UserAgent = None,
) -> BrowserTokens:
    """Exchange a password for an access token and a refresh cookie."""
    pair = await service.login(
        users,
        form.username,
        form.password,
        client,
        hasher=hasher,
        codec=codec,
        policy=policy,
        audit=audit,
        user_agent=user_agent,
    )
    return _answer(response, cookie, pair)


@router.post(
    "/token/second-factor",
    response_model=BrowserTokens,
    summary="Complete a browser login with a second factor",
    description="For a user with a second factor, `/auth/browser/token` answers 401 "
    "`second-factor-required` with a `challenge`; this step takes it with a code, exactly "
    "as `POST /auth/token/second-factor` does, and sets the refresh cookie." + CSRF_NOTE,
    dependencies=[JsonBody],
    responses=problem_responses(400, 401, 403, 404, 415, 422, 429, 503),
)
async def browser_second_factor(
    body: ChallengeRedemption, cookie: BrowserCookie, step: CodeStepDep, response: Response
) -> BrowserTokens:
    """Exchange a login challenge and a code for an access token and a refresh cookie."""
    return _answer(response, cookie, await second_step.complete(body.challenge, body.code, step))


@router.post(
    "/refresh",
    response_model=BrowserTokens,
    summary="Rotate a browser session's refresh cookie",
    description="No body: the refresh cookie is rotated (the old one dies; a reused one "
    "revokes the session) and a fresh access token returned." + CSRF_NOTE,
    responses=problem_responses(401, 403, 404, 503),
)
async def browser_refresh(
    request: Request,
    cookie: BrowserCookie,
    response: Response,
    users: Users,
    codec: Codec,
    policy: LoginPolicyDep,
    client: ClientAddress,
    user_agent: UserAgent = None,
) -> BrowserTokens:
    """New access token and refresh cookie for the refresh cookie."""
    token = _refresh_token(request, cookie)
    if token is None:
        raise InvalidRefreshToken
    pair = await service.refresh(
        users,
        token,
        codec=codec,
        policy=policy,
        client=Client(address=client, user_agent=user_agent),
    )
    return _answer(response, cookie, pair)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End a browser session",
    description="Revokes the refresh cookie's session and clears the cookie; 204 also "
    "without one. Access tokens of the session expire within their short lifetime." + CSRF_NOTE,
    responses=problem_responses(403, 404, 503),
)
async def browser_logout(request: Request, cookie: BrowserCookie, audit: AuditDep) -> Response:
    """Revoke the session and clear the cookie."""
    token = _refresh_token(request, cookie)
    if token is not None:
        await end_cookie_session(token, audit)
    answer = Response(status_code=status.HTTP_204_NO_CONTENT, headers=NO_STORE)
    cookie.clear(answer)
    return answer
