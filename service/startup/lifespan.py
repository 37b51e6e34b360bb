"""Start-up and shut-down: connect to MongoDB, initialise Beanie, keep retrying if it is down."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import structlog
from fastapi import FastAPI
from pymongo.errors import PyMongoError

from service.audit.errors import AuditUnavailable
from service.audit.models import AuditEventType
from service.audit.trail import Audit, event_key
from service.auth.keys import TokenKey
from service.core.admission import build_gates
from service.core.config import Settings
from service.core.database import create_client, ping
from service.core.tasks import raise_if_cancelled, stop
from service.mail.outbox import Outbox
from service.models.storage import ModelStorage
from service.observability.counters import BusinessMetrics
from service.startup.builders import (
    build_avatar_storage,
    build_hasher,
    build_image_decoder,
    build_login_policy,
    build_mail_sender,
    build_second_factor_policy,
    build_serving,
    build_token_codec,
)
from service.startup.documents import EXPIRING_MODELS, init_models
from service.startup.password_policy import OutboundClient, build_password_policy
from service.startup.purge import PurgePolicy, purge_periodically
from service.startup.state import STATE_KEY, DatabaseState, State
from service.users.cache import UserCache
from service.users.service import UserService

log = structlog.get_logger(__name__)

_RETRY_DELAYS_S = (0.25, 0.5, 1.0, 2.0)
DATABASE_WATCH_INTERVAL_S = 10.0


async def record_signing_key(audit: Audit, key: TokenKey) -> None:
    """Record the key this process signs with; one event per key, whichever process (or
    replica, or restart) starts signing with it first: that is when the rotation happened,
    however the key got there (`keys` command, JWT_SIGNING_KEY, a mounted Secret)."""
    await audit.record(
        AuditEventType.KEY_ROTATED,
        user_id=None,
        detail={"kid": key.kid, "alg": key.algorithm},
        event_id=event_key(AuditEventType.KEY_ROTATED, key.kid),
    )


async def _initialise(db: DatabaseState, record_key: Callable[[], Awaitable[None]]) -> None:
    attempt = 0
    while True:
        raise_if_cancelled()
        try:
            await init_models(db.database)
            await record_key()  # not ready before the signing key is in the audit trail
        except (PyMongoError, AuditUnavailable) as exc:
            delay = _RETRY_DELAYS_S[min(attempt, len(_RETRY_DELAYS_S) - 1)]
            log.warning(
                "database.init_failed",
                error_type=type(exc).__name__,
                error_code=getattr(exc, "code", None),
                retry_in_s=delay,
            )
            attempt += 1
            await asyncio.sleep(delay)
        else:
            db.initialised.set()
            log.info("database.initialised", database=db.database.name)
            return


async def _watch_database(
    db: DatabaseState, metrics: BusinessMetrics, interval_s: float, timeout_s: float
) -> None:
    # Keeps the `database_up` gauge current between probes, for dashboards and alerts.
    gauge = metrics.database_up
    while True:
        raise_if_cancelled()
        try:
            await ping(db.database, timeout_s)
            gauge.set(1 if db.initialised.is_set() else 0)
        except (PyMongoError, TimeoutError):
            gauge.set(0)
        await asyncio.sleep(interval_s)


def build_lifespan(settings: Settings, metrics: BusinessMetrics) -> Any:
    """Return the lifespan context for an app built with these settings and counters."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, State]]:
        client = create_client(settings)
        db = DatabaseState(client=client, database=client[settings.mongodb_db])
        # Try once in the foreground so a healthy start is ready at once; if MongoDB is
        # down, keep serving (readiness says 503) and keep retrying in the background.
        tokens = build_token_codec(settings)
        audit = Audit(timedelta(days=settings.audit_retention_days), metrics.audit)
        record_key = functools.partial(record_signing_key, audit, tokens.keys.active)
        init_task = asyncio.create_task(_initialise(db, record_key))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.shield(init_task), settings.mongodb_timeout_ms / 1000 + 1
            )
        watch_task = asyncio.create_task(
            _watch_database(
                db, metrics, DATABASE_WATCH_INTERVAL_S, settings.health_timeout_ms / 1000
            )
        )
        gates = build_gates(settings, metrics.admission_rejections)
        tasks = [init_task, watch_task]
        if settings.purge_interval_s > 0:
            policy = PurgePolicy(settings.purge_interval_s, settings.purge_batch_size)
            purge = purge_periodically(EXPIRING_MODELS, db.initialised, policy, metrics)
            tasks.append(asyncio.create_task(purge))
        outbox = Outbox(
            build_mail_sender(settings), sent=metrics.mails_sent, failed=metrics.mails_failed
        )
        users = UserService(UserCache(settings.auth_cache_ttl_s))
        http_client = OutboundClient(settings)
        passwords = build_password_policy(
            settings, gates.hashing, http_client.get, metrics.password_breach_checks
        )
        log.info("service.started", database_ready=db.initialised.is_set())
        # What start-up built lives as long as the process: moved out of the collector's
        # generations, so a full collection no longer walks every imported module's
        # objects (measured: about 10 % of the CPU of `GET /users/{id}`).
        gc.freeze()
        try:
            yield {
                STATE_KEY: State(
                    settings=settings,
                    db=db,
                    metrics=metrics,
                    users=users,
                    hasher=build_hasher(settings, gates.hashing),
                    tokens=tokens,
                    login_policy=build_login_policy(settings),
                    avatars=build_avatar_storage(settings, db.database),
                    image_decoder=build_image_decoder(settings, gates.decoding),
                    mail=outbox,
                    serving=build_serving(settings, gates.inference),
                    model_storage=ModelStorage(db.database),
                    audit=audit,
                    second_factor=build_second_factor_policy(settings),
                    passwords=passwords,
                )
            }
        finally:
            # Collectable again: a process that starts apps one after another (tests)
            # does not keep every stopped app's objects.
            gc.unfreeze()
            await outbox.drain()
            await http_client.aclose()
            for task in tasks:
                await stop(task)
            await client.close()
            log.info("service.stopped")

    return lifespan
