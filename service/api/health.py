"""Liveness, readiness and a detailed health report, for people and for Kubernetes."""

from __future__ import annotations

import asyncio
import time
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from pymongo.errors import PyMongoError

from service.api.declared_routes import declared
from service.api.deps import AvatarStore, Database, SettingsDep
from service.core.database import ping
from service.http.routing import ServiceRoute
from service.startup.state import DatabaseState

router = APIRouter(tags=["operations"], route_class=declared(ServiceRoute))


class CheckResult(BaseModel):
    """The outcome of one dependency probe."""

    status: Literal["ok", "fail"]
    latency_ms: float | None = Field(default=None, description="Round trip, when it answered.")
    error: str | None = Field(default=None, description="Kind of failure, without internals.")


class HealthReport(BaseModel):
    """Overall status and each check that decided it."""

    status: Literal["ok", "fail"]
    checks: dict[str, CheckResult]


async def _check_mongodb(db: DatabaseState, timeout_s: float) -> CheckResult:
    try:
        latency = await ping(db.database, timeout_s)
    except TimeoutError:
        return CheckResult(status="fail", error="timeout")
    except PyMongoError as exc:
        return CheckResult(status="fail", error=type(exc).__name__)
    if not db.initialised.is_set():
        return CheckResult(status="fail", latency_ms=round(latency, 3), error="initialising")
    return CheckResult(status="ok", latency_ms=round(latency, 3))


async def _check_avatar_storage(storage: AvatarStore, timeout_s: float) -> CheckResult:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout_s):
            await storage.check()
    except TimeoutError:
        return CheckResult(status="fail", error="timeout")
    except Exception as exc:
        return CheckResult(status="fail", error=type(exc).__name__)
    return CheckResult(status="ok", latency_ms=round((time.perf_counter() - started) * 1000, 3))


def _report(checks: dict[str, CheckResult]) -> JSONResponse:
    healthy = all(check.status == "ok" for check in checks.values())
    report = HealthReport(status="ok" if healthy else "fail", checks=checks)
    return JSONResponse(report.model_dump(), status_code=200 if healthy else 503)


_HEALTH_RESPONSES: dict[int | str, dict[str, object]] = {
    503: {"model": HealthReport, "description": "A dependency is failing."}
}


async def _checked(settings: SettingsDep, db: Database, storage: AvatarStore) -> JSONResponse:
    timeout_s = settings.health_timeout_ms / 1000
    checks = {"mongodb": await _check_mongodb(db, timeout_s)}
    # GridFS lives in MongoDB, already checked; a separate store is checked on its own.
    if settings.avatar_storage == "s3":
        checks["avatar_storage"] = await _check_avatar_storage(storage, timeout_s)
    return _report(checks)


# One handler behind both paths: the detailed report and the readiness probe are the same
# checks, answered the same way; they differ only in how they are documented.
router.add_api_route(
    "/health",
    _checked,
    methods=["GET"],
    name="health",
    response_model=HealthReport,
    summary="Health report",
    description="Pings MongoDB (timeout at most 1 s), and the S3 bucket when avatars are "
    "stored there, and reports each check with its latency. 200 when every check passes, "
    "503 otherwise.",
    responses=_HEALTH_RESPONSES,
)
router.add_api_route(
    "/health/ready",
    _checked,
    methods=["GET"],
    name="ready",
    response_model=HealthReport,
    summary="Readiness probe",
    description="200 when MongoDB answers a ping and the models are initialised (and the "
    "avatar bucket can be listed, when avatars are stored in S3); 503 otherwise, so load "
    "balancers stop routing here until it recovers.",
    responses=_HEALTH_RESPONSES,
)


@router.get(
    "/health/live",
    response_model=HealthReport,
    summary="Liveness probe",
    description="200 while the process serves requests; it checks no dependency, so a "
    "database outage never gets the pod restarted.",
)
async def live() -> JSONResponse:
    """The process is up."""
    return _report({})
