"""HTTP routes of the caller's sessions: log out of this one, list them, end one by id.

Logging in, rotating and ending every session need the user as well: they are in
`service.accounts.login_router`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, Field

from service.auth import service, sessions
from service.auth.dependencies import Claims
from service.auth.schemas import RefreshRequest
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute
from service.kernel.identity import CurrentCaller

router = APIRouter(prefix="/auth", tags=["auth"], route_class=ServiceRoute)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End this session",
    description="Revokes the given refresh token and the rest of its session. The access "
    "token in hand expires on its own within its short lifetime.",
    dependencies=[JsonBody],
    responses=problem_responses(400, 401, 415, 422, 503),
)
async def logout(body: RefreshRequest, user: CurrentCaller) -> Response:
    """Revoke one session."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    await service.logout(user.id, body.refresh_token)
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
async def list_sessions(user: CurrentCaller, claims: Claims) -> list[SessionRead]:
    """The caller's active sessions."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    return [
        SessionRead(
            id=doc["family_id"],
            created_at=doc.get("session_started_at") or doc["created_at"],
            last_used_at=doc["created_at"],
            expires_at=doc["expires_at"],
            client_ip=doc.get("client_ip"),
            user_agent=doc.get("user_agent"),
            current=doc["family_id"] == claims.session_id,
        )
        for doc in await sessions.list_sessions(user.id)
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
    user: CurrentCaller,
    session_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")],
) -> Response:
    """Revoke one session."""
    assert user.id is not None  # noqa: S101 - stored users always have an id
    await sessions.end_session(user.id, session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
