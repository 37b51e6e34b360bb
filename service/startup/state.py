"""Everything built at start-up, in one typed place: the lifespan state.

The lifespan yields it under `STATE_KEY`; each request's `request.state` carries it, and
`service.api.deps` reads its members with their real types.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient

from service.audit.trail import Audit
from service.auth.security import PasswordHasher, TokenCodec
from service.auth.service import LoginPolicy
from service.avatars.service import ImageDecoder
from service.avatars.storage import AvatarStorage
from service.core.config import Settings
from service.core.database import MongoDatabase
from service.mail.outbox import Outbox
from service.models.runtime import Serving
from service.models.storage import ModelStorage
from service.observability.counters import BusinessMetrics
from service.passwords.policy import PasswordPolicy
from service.second_factor.policy import SecondFactorPolicy
from service.users.service import UserService

# The one key of the lifespan state: `request.state.app` is the `State` below.
STATE_KEY = "app"


@dataclass
class DatabaseState:
    """What the app knows about its database: the handles and whether models are bound."""

    client: AsyncMongoClient[dict[str, Any]]
    database: MongoDatabase
    initialised: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class State:
    """The settings, the database, the metrics and every service built from them."""

    settings: Settings
    db: DatabaseState
    metrics: BusinessMetrics
    users: UserService
    hasher: PasswordHasher
    tokens: TokenCodec
    login_policy: LoginPolicy
    avatars: AvatarStorage
    image_decoder: ImageDecoder
    mail: Outbox
    serving: Serving
    model_storage: ModelStorage
    audit: Audit
    second_factor: SecondFactorPolicy
    passwords: PasswordPolicy
