"""Typed dependencies of every route: the start-up `State`'s members (read from
`request.state.app`), the caller, the user. Each alias is declared once here and used as a
parameter's annotation; handlers never write `Depends()` themselves."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from beanie import PydanticObjectId
from fastapi import Depends, Header, Path, Request
from fastapi.security import OAuth2PasswordBearer

from service.accounts.identity import authenticate, claims_user, verified_claims
from service.accounts.lifecycle import MailPolicy
from service.audit.models import AuditClient
from service.audit.trail import Audit
from service.auth.security import AccessClaims, PasswordHasher, TokenCodec
from service.auth.service import LoginPolicy
from service.avatars.service import ImageDecoder
from service.avatars.storage import AvatarStorage
from service.core.config import Settings
from service.http.client_address import client_address, parse_networks
from service.http.context import bind_user_id
from service.http.multipart import multipart_body
from service.http.ratelimit import remembered_claims
from service.mail.budget import MailBudget
from service.mail.outbox import Outbox
from service.models.errors import ModelServingUnavailable
from service.models.runtime import Serving
from service.models.storage import ModelStorage
from service.observability.counters import BusinessMetrics
from service.passwords.policy import PasswordPolicy
from service.second_factor.policy import SecondFactorPolicy
from service.startup.state import DatabaseState, State
from service.users import repository
from service.users.errors import NotOwner
from service.users.models import User
from service.users.permissions import is_admin
from service.users.service import UserService


def app_state(request: Request) -> State:
    """The lifespan's `State` (one attribute read; not a dependency of its own, for speed)."""
    state: State = request.state.app
    return state


async def _settings(request: Request) -> Settings:
    return app_state(request).settings


async def _database(request: Request) -> DatabaseState:
    return app_state(request).db


async def _metrics(request: Request) -> BusinessMetrics:
    return app_state(request).metrics


async def _users(request: Request) -> UserService:
    return app_state(request).users


async def _hasher(request: Request) -> PasswordHasher:
    return app_state(request).hasher


async def _codec(request: Request) -> TokenCodec:
    return app_state(request).tokens


async def _login_policy(request: Request) -> LoginPolicy:
    return app_state(request).login_policy


async def _avatar_storage(request: Request) -> AvatarStorage:
    return app_state(request).avatars


async def _decoder(request: Request) -> ImageDecoder:
    return app_state(request).image_decoder


async def _outbox(request: Request) -> Outbox:
    return app_state(request).mail


async def _passwords(request: Request) -> PasswordPolicy:
    return app_state(request).passwords


async def _second_factor(request: Request) -> SecondFactorPolicy:
    return app_state(request).second_factor


async def _model_storage(request: Request) -> ModelStorage:
    return app_state(request).model_storage


async def _serving(request: Request) -> Serving:
    """This worker's serving state; 503 saying how to enable serving when it cannot work."""
    serving = app_state(request).serving
    if serving.missing is not None:
        raise ModelServingUnavailable(serving.missing)
    return serving


SettingsDep = Annotated[Settings, Depends(_settings)]
Database = Annotated[DatabaseState, Depends(_database)]
Metrics = Annotated[BusinessMetrics, Depends(_metrics)]
Users = Annotated[UserService, Depends(_users)]
Hasher = Annotated[PasswordHasher, Depends(_hasher)]
Codec = Annotated[TokenCodec, Depends(_codec)]
LoginPolicyDep = Annotated[LoginPolicy, Depends(_login_policy)]
AvatarStore = Annotated[AvatarStorage, Depends(_avatar_storage)]
Decoder = Annotated[ImageDecoder, Depends(_decoder)]
Mail = Annotated[Outbox, Depends(_outbox)]
ModelStore = Annotated[ModelStorage, Depends(_model_storage)]
ServingState = Annotated[Serving, Depends(_serving)]
Passwords = Annotated[PasswordPolicy, Depends(_passwords)]
FactorPolicy = Annotated[SecondFactorPolicy, Depends(_second_factor)]

# auto_error=False: a missing token becomes our own 401 problem, not FastAPI's plain one.
bearer_scheme = OAuth2PasswordBearer(
    tokenUrl="/auth/token",
    auto_error=False,
    description="Log in at /auth/token (username or email + password) and send the "
    "access token as `Authorization: Bearer <token>`.",
)
BearerToken = Annotated[str | None, Depends(bearer_scheme)]


async def current_user(request: Request, token: BearerToken) -> User:
    """The active user the bearer token was issued to, under their current token version.

    One dependency reading the state itself rather than a chain of small ones: each
    dependency the framework resolves costs CPU on every authenticated request. A token
    the rate limiter already verified in this request is not decoded again.
    """
    state = app_state(request)
    claims = remembered_claims(request.scope, token) if token else None
    if claims is not None:
        user = await claims_user(state.users, claims)
    else:
        user = await authenticate(state.tokens, state.users, token)
    bind_user_id(str(user.id))
    return user


async def optional_user(request: Request, token: BearerToken) -> User | None:
    """The caller when a token is sent (it must then be valid), else None."""
    if not token:
        return None
    return await current_user(request, token)


async def access_claims(codec: Codec, token: BearerToken) -> AccessClaims:
    """The verified claims of the bearer token (its session id, for one), or a 401."""
    return verified_claims(codec, token)


async def request_client_address(request: Request, settings: SettingsDep) -> str:
    """The caller's address, believing `X-Forwarded-For` only from trusted proxies."""
    peer = request.client.host if request.client else None
    proxies = parse_networks(tuple(settings.trusted_proxies))
    return client_address(peer, request.headers.get("x-forwarded-for"), proxies)


async def mail_policy(request: Request, settings: SettingsDep, metrics: Metrics) -> MailPolicy:
    """Token lifetimes, mail budget and link base for this request: ACCOUNT_LINKS_BASE_URL
    (an external front end) when set, else `PUBLIC_BASE_URL`, else this request's host,
    which `ALLOWED_HOSTS` has checked (production needs one of the last two)."""
    return MailPolicy(
        base_url=(
            settings.account_links_base_url or settings.public_base_url or str(request.base_url)
        ),
        verify_ttl=timedelta(seconds=settings.verify_token_ttl_s),
        reset_ttl=timedelta(seconds=settings.reset_token_ttl_s),
        invite_ttl=timedelta(seconds=settings.invitation_token_ttl_s),
        max_per_window=settings.account_mail_max_per_window,
        window_s=settings.login_window_s,
        budget=MailBudget(
            per_recipient=settings.mail_budget_per_recipient,
            per_client=settings.mail_budget_per_client,
            window_s=settings.mail_budget_window_s,
        ),
        withheld=metrics.mails_withheld,
    )


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
Claims = Annotated[AccessClaims, Depends(access_claims)]
ClientAddress = Annotated[str, Depends(request_client_address)]
MailPolicyDep = Annotated[MailPolicy, Depends(mail_policy)]

# Enough to tell browsers and tools apart; a longer header is cut, not stored whole.
USER_AGENT_MAX_CHARS = 256
# The client's User-Agent, for the sessions list and the audit trail (not in the contract).
UserAgent = Annotated[str | None, Header(include_in_schema=False)]


async def request_audit(request: Request) -> Audit:
    """The audit trail, recording this request's client address and user agent (also
    called directly by the shared write path of the users routes)."""
    client = await request_client_address(request, app_state(request).settings)
    user_agent = request.headers.get("user-agent")
    return app_state(request).audit.for_client(
        AuditClient(client, user_agent[:USER_AGENT_MAX_CHARS] if user_agent else None)
    )


AuditDep = Annotated[Audit, Depends(request_audit)]

UserIdPath = Annotated[
    PydanticObjectId, Path(description="The user's id: 24 hexadecimal characters.")
]


async def user_by_id(user_id: UserIdPath) -> User:
    """The user named in the path, or a 404."""
    return await repository.get_user(user_id)


UserById = Annotated[User, Depends(user_by_id)]


async def owned_user(caller: CurrentUser, user: UserById) -> User:
    """The user in the path, if the caller is that user or an admin; else a 403.

    The caller is resolved first: an anonymous request gets its 401 before any lookup, so
    it cannot learn which ids exist.
    """
    if caller.id != user.id and not is_admin(caller):
        raise NotOwner
    return user


OwnedUser = Annotated[User, Depends(owned_user)]


IfMatch = Annotated[
    str | None,
    Header(description="ETag from a previous read; the write fails with 412 if it is stale."),
]
IfNoneMatch = Annotated[
    str | None, Header(description="ETag the client holds; 304 when it is still current.")
]
AvatarMultipart = multipart_body("Upload the image as multipart/form-data with a `file` part.")
