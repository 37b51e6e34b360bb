"""HTTP routes that open, rotate and end every session: the password and the user's state
(users domain) decide, the tokens (auth domain) are issued and revoked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from service.accounts import login as service
from service.auth.dependencies import ClientAddress, Codec, Hasher, Policy
from service.auth.schemas import RefreshRequest, TokenPair
from service.auth.service import Client
from service.http.problems import problem_responses
from service.http.routing import JsonBody, ServiceRoute
from service.users.dependencies import CurrentUser, Users

router = APIRouter(prefix="/auth", tags=["auth"], route_class=ServiceRoute)

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post(
    "/token",
    response_model=TokenPair,
    summary="Log in (OAuth2 password flow)",
    description="Form fields `username` (a username or an email address) and `password`. "
    "Returns an access token (JWT, short-lived) and a single-use refresh token. Repeated "
    "failures for one name from one address are throttled with 429 and `Retry-After`. "
    "This is the endpoint Swagger UI's Authorize button uses.",
    responses=problem_responses(400, 401, 422, 429, 503),
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    response: Response,
    users: Users,
    hasher: Hasher,
    codec: Codec,
    policy: Policy,
    client: ClientAddress,
    user_agent: Annotated[str | None, Header(include_in_schema=False)] = None,
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
    policy: Policy,
    client: ClientAddress,
    user_agent: Annotated[str | None, Header(include_in_schema=False)] = None,
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
async def logout_all(user: CurrentUser, users: Users) -> Response:
    """Revoke all sessions."""
    await service.logout_all(users, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
