"""The one registration list: every domain and application package, what it serves and stores.

Adding a domain (say `teams`) means copying a domain package and adding one `Domain` entry
here: the app factory includes its routers and documents its tag, the database binds and
indexes its documents, and the import contracts (`scripts/import_contracts.py`, run by
`make lint`) hold it apart from the other domains. Order matters only for the OpenAPI
document: routers are included in the order listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beanie import Document
from fastapi import APIRouter

from service.accounts import avatar_router, lifecycle_router, login_router
from service.accounts import router as accounts_router
from service.auth import router as auth_router
from service.auth import well_known_router
from service.auth.models import AccountToken, LoginFailures, RefreshToken
from service.idempotency.models import IdempotencyRecord
from service.inference import router as inference_router
from service.inference.models import ModelVersion
from service.mail.budget import MailBudgetCounter
from service.users import router as users_router
from service.users.models import User


@dataclass(frozen=True)
class Domain:
    """One package: its import path, OpenAPI tag, routers and stored documents."""

    package: str
    tag: str | None = None
    description: str = ""
    routers: tuple[APIRouter, ...] = ()
    documents: tuple[type[Document], ...] = ()


# Domains: side by side on the shared kernel, none importing another.
DOMAINS: tuple[Domain, ...] = (
    Domain(
        "service.users",
        "users",
        "The users resource.",
        routers=(users_router.router,),
        documents=(User,),
    ),
    Domain(
        "service.auth",
        "auth",
        "Log in, rotate tokens, log out.",
        routers=(auth_router.router, well_known_router.router),
        # The mail budget (service.mail, below the domains) rations the account mails.
        documents=(RefreshToken, LoginFailures, AccountToken, MailBudgetCounter),
    ),
    Domain("service.avatars", "avatars", "Upload, serve and remove user avatars."),
    Domain("service.idempotency", documents=(IdempotencyRecord,)),
    Domain(
        "service.inference",
        "models",
        "Store ONNX classifiers and predict with them.",
        routers=(inference_router.router,),
        documents=(ModelVersion,),
    ),
    Domain("service.ratelimit"),
)

# The application layer: work that spans domains (registration with an avatar, the delete
# cascade, logins, the account lifecycle). It may import domains; no domain imports it.
APPLICATION = Domain(
    "service.accounts",
    routers=(
        login_router.router,
        lifecycle_router.router,
        accounts_router.router,
        accounts_router.legacy_router,
        avatar_router.router,
    ),
)


def document_models() -> list[type[Document]]:
    """Every stored document class, for Beanie to bind and the database to index."""
    return [document for domain in DOMAINS for document in domain.documents]


def openapi_tags() -> list[dict[str, Any]]:
    """The OpenAPI tags of the domains, in order, then the operations routes' tag."""
    tags = [{"name": d.tag, "description": d.description} for d in DOMAINS if d.tag]
    return [*tags, {"name": "operations", "description": "Health probes and metrics."}]


def routers() -> list[APIRouter]:
    """The application layer's routers, then every domain's, in inclusion order."""
    return [router for domain in (APPLICATION, *DOMAINS) for router in domain.routers]
