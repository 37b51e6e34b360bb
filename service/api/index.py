"""The service's front door: `GET /` names the service and links to what it offers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from service import __version__
from service.api.declared_routes import declared
from service.api.deps import SettingsDep

router = APIRouter(tags=["operations"], route_class=declared(APIRoute))


class IndexLinks(BaseModel):
    """Where to go next."""

    docs: str | None = Field(description="Swagger UI (null when DOCS_ENABLED is off).")
    redoc: str | None = Field(description="ReDoc (null when DOCS_ENABLED is off).")
    openapi: str | None = Field(
        description="The OpenAPI document (null when OPENAPI_ENABLED is off)."
    )
    health: str = Field(description="Health report.")
    metrics: str = Field(description="Prometheus metrics.")
    users: str = Field(description="The users resource.")


class Index(BaseModel):
    """Name, version and links."""

    name: str
    version: str
    links: IndexLinks


@router.get(
    "/",
    response_model=Index,
    summary="Service index",
    description="The service's name and version, with links to the docs, health and metrics.",
)
async def index(request: Request, settings: SettingsDep) -> Index:
    """Name, version and where to go next."""
    base = str(request.base_url).rstrip("/")
    docs = settings.serves_docs
    return Index(
        name="users-service",
        version=__version__,
        links=IndexLinks(
            docs=f"{base}/docs" if docs else None,
            redoc=f"{base}/redoc" if docs else None,
            openapi=f"{base}/openapi.json" if settings.serves_openapi else None,
            health=f"{base}/health",
            metrics=f"{base}/metrics",
            users=f"{base}/users",
        ),
    )


@router.get("/swagger", include_in_schema=False)
async def swagger(settings: SettingsDep) -> RedirectResponse:
    """The name some clients expect for the interactive docs."""
    if not settings.serves_docs:
        raise StarletteHTTPException(404)
    return RedirectResponse("/docs", status_code=308)
