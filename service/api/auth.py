"""Sessions: log in, rotate tokens, log out of one or every session, list and end them.

The password and the user's state (users domain) decide; the tokens (auth domain) are
issued and revoked by the use cases of `service.accounts.login`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from service.accounts import login as service
from service.accounts import session_ends
from service.api.declared_routes import declared
from service.api.deps import (
    AuditDep,
    Claims,
    ClientAddress,
    Codec,
    CurrentUser,
    Hasher,
    LoginPolicyDep,
    UserAgent,
    Users,
)
from service.api.second_factor_schemas import CHALLENGE_RESPONSE
from service.auth import sessions
from service.auth.schemas import RefreshRequest, TokenPair
from service.auth.service import Client
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute

router = APIRouter(prefix="/auth", tags=["auth"], route_class=declared(ServiceRoute))

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post(
    "/token",
    response_model=TokenPair,
    summary="Log in (OAuth2 password flow)",
    description="Form fields `username` (a username or an email address) and `password`. "
    "Returns an access token (JWT, short-lived) and a single-use refresh token. Repeated "
    "failures for one name from one address are throttled with 429 and `Retry-After`. "
    "This is the endpoint Swagger UI's Authorize button uses. With a second factor "
    "enabled, a right password answers 401 `second-factor-required` carrying a `challenge` "
    "(never a token) for `POST /auth/token/second-factor`.",
    responses={**problem_responses(400, 422, 429, 503), **CHALLENGE_RESPONSE},
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    response: Response,
    users: Users,
    hasher: Hasher,
    codec: Codec,
    policy: LoginPolicyDep,
    client: ClientAddress,
    audit: AuditDep,
    user_agent: UserAgent = None,
) -> TokenPair:
    """Exchange a password for tokens."""
    tokens = await service.login(
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
    response.headers.update(NO_STORE)
    return tokens


@router.post(
    "/refresh",
    response_model=TokenPair,
    summary="Rotate a refresh token",
    description="Returns a new token pair; the presented refresh token stops working. "
    "Presenting one that was already used revokes every token of that session.",
    dependencies=[JsonBody],
    responses=problem_responses(400, 401, 415, 422, 503),
)
async def refresh(
    body: RefreshRequest,
    response: Response,
    users: Users,
    codec: Codec,
    policy: LoginPolicyDep,
    client: ClientAddress,
    user_agent: UserAgent = None,
) -> TokenPair:
    """New tokens for a refresh token."""
    tokens = await service.refresh(
        users,
        body.refresh_token,
        codec=codec,
        policy=policy,
        client=Client(address=client, user_agent=user_agent),
    )
    response.headers.update(NO_STORE)
    return tokens


@router.post(
    "/logout-all",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End every session",
    description="Revokes every refresh token of the caller and invalidates every access "
    "token issued so far, including the one used for this call.",
    responses=problem_responses(401, 503),
)
async def logout_all(user: CurrentUser, users: Users, audit: AuditDep) -> Response:
    """Revoke all sessions."""
    await service.logout_all(users, user, audit)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End this session",
    description="Revokes the given refresh token and the rest of its session. The access "
    "token in hand expires on its own within its short lifetime.",
    dependencies=[JsonBody],
    responses=problem_responses(400, 401, 415, 422, 503),
)
async def logout(body: RefreshRequest, user: CurrentUser, audit: AuditDep) -> Response:
    """Revoke one session."""
    await session_ends.logout(user, body.refresh_token, audit)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class SessionRead(BaseModel):
    """One active session: a login and the refresh tokens rotated from it."""

    id: str = Field(description="The session id; access tokens of this session carry it.")
    created_at: datetime = Field(description="When the session began (the login).")
    last_used_at: datetime = Field(description="The login or the latest token rotation.")
    expires_at: datetime = Field(description="When it ends unless its token is rotated.")
    client_ip: str | None
    user_agent: str | None
    current: bool = Field(description="Whether this request's access token belongs to it.")


@router.get(
    "/sessions",
    response_model=list[SessionRead],
    summary="List the caller's sessions",
    description="Every active session of the caller, most recently used first; the one "
    "this request's access token belongs to has `current: true`.",
    responses=problem_responses(401, 503),
)
async def list_sessions(user: CurrentUser, claims: Claims) -> list[SessionRead]:
    """The caller's active sessions."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    return [
        SessionRead(
            id=session.id,
            created_at=session.started_at,
            last_used_at=session.last_used_at,
            expires_at=session.expires_at,
            client_ip=session.client_ip,
            user_agent=session.user_agent,
            current=session.id == claims.session_id,
        )
        for session in await sessions.list_sessions(user.id)
    ]


@router.delete(
    "/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End one of the caller's sessions",
    description="Revokes the session's refresh tokens; its access tokens expire within their "
    "short lifetime. 404 when the caller has no active session with this id.",
    responses=problem_responses(401, 404, 422, 503),
)
async def end_session(
    user: CurrentUser,
    session_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")],
    audit: AuditDep,
) -> Response:
    """Revoke one session."""
    await session_ends.end_session(user, session_id, audit)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
